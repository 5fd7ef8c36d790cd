"""Builds the extension module `warden._warden` with the project's CMake.

The package's Python files are in warden/; the extension is the CMake target
`warden_python` of the repository this directory belongs to (two levels up),
configured in Release with only what the module needs. Set
WARDEN_CMAKE_BUILD_DIR to an already configured build directory to reuse it
(the target is brought up to date there and its module copied). See
docs/python.md.
"""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        if not (ROOT / "CMakeLists.txt").exists() or not (ROOT / "bindings" / "core").is_dir():
            raise RuntimeError(f"bindings/python must be built from the Warden source tree (looked in {ROOT})")
        reuse = os.environ.get("WARDEN_CMAKE_BUILD_DIR")
        build = pathlib.Path(reuse) if reuse else pathlib.Path(self.build_temp).resolve() / "cmake"
        if not reuse:
            build.mkdir(parents=True, exist_ok=True)
            subprocess.check_call([
                "cmake", "-S", str(ROOT), "-B", str(build),
                "-DCMAKE_BUILD_TYPE=Release",
                f"-DPython_EXECUTABLE={sys.executable}",
                "-DWARDEN_BUILD_PYTHON=ON", "-DWARDEN_BUILD_NODE=OFF",
                "-DWARDEN_BUILD_TESTS=OFF", "-DWARDEN_BUILD_BENCH=OFF",
            ])
        jobs = str(os.cpu_count() or 2)
        subprocess.check_call(["cmake", "--build", str(build), "--target", "warden_python", "-j", jobs])
        built = next((build / "bindings" / "python" / "warden").glob("_warden*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(ext_modules=[Extension("warden._warden", sources=[])], cmdclass={"build_ext": CMakeBuild})
