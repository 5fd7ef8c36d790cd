// Artifact detection by name and magic (see detect.hpp).
#include "table/detect.hpp"

#include <fstream>

#include "table/artifact.hpp"

namespace warden::table {

bool has_artifact_magic(std::string_view bytes) { return bytes.substr(0, kArtifactMagic.size()) == kArtifactMagic; }

bool is_artifact_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  if (path.extension() == ".wdn") return true;
  // Only the magic's bytes are read, not the whole file.
  std::ifstream in(path, std::ios::binary);
  char head[kArtifactMagic.size()] = {};
  in.read(head, sizeof head);
  return in.gcount() == sizeof head && has_artifact_magic({head, sizeof head});
}

}  // namespace warden::table
