// Renaming a policy's files changes no decision and no explanation.
//
// The rules of an action are tried in the order of their names
// (docs/decisions.md "Which rule decides"), so which allow is reported as
// determining, and which deny's code a request gets when several match,
// depend on the policy alone. Each policy is copied with its files renamed
// so that they sort in the reverse order, and both copies decide the same
// random requests with the full trace: the explanation JSON must be the
// same, byte for byte, once each rule's file is mapped back to its
// original name.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <map>

#include <unistd.h>

#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/random_world.hpp"
#include "tests/runtime/reference_evaluator.hpp"
#include "warden/explain.hpp"

namespace fs = std::filesystem;
using namespace warden;
using namespace warden::test;

namespace {

// The policy's files copied under names that sort the other way round
// ("z0_…" for the last, "z9_…" for the first, …), removed on destruction.
class ReversedNames {
 public:
  explicit ReversedNames(const std::string& source) {
    static std::atomic<unsigned> counter{0};
    root_ = fs::temp_directory_path() / ("warden-renamed-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    const fs::path out = root_ / fs::path(source).filename();
    fs::remove_all(root_);
    fs::create_directories(out);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(source)) {
      if (entry.path().extension() == ".warden") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string renamed = "z" + std::to_string(files.size() - 1 - i) + "_" + files[i].filename().string();
      fs::copy_file(files[i], out / renamed);
      original_[renamed] = files[i].filename().string();
    }
    dir_ = out.string();
  }
  ~ReversedNames() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  const std::string& dir() const { return dir_; }
  std::size_t files() const { return original_.size(); }
  // A rule's file (as its policy names it: a path ending in the file's
  // name) as the original copy names it.
  std::string original(std::string_view file) const {
    const fs::path path(file);
    const auto it = original_.find(path.filename().string());
    return it == original_.end() ? std::string(file) : (path.parent_path() / it->second).generic_string();
  }

 private:
  fs::path root_;
  std::string dir_;
  std::map<std::string, std::string> original_;  // renamed file name -> original file name
};

}  // namespace

TEST_CASE("renaming a policy's files changes no decision and no explanation", "[runtime][explain][property]") {
  // The reference policies, and one whose rules for an action are spread
  // over files with several matching the same requests.
  const std::vector<std::string> policies = {"policies/gateway",         "policies/model_permissions", "policies/platform_rbac",
                                             "policies/tenancy",         "policies/api_servers",       "fixtures/runtime/features",
                                             "fixtures/http/repos",      "fixtures/runtime/split_rules",
                                             "fixtures/explain/policy"};
  std::size_t compared = 0, several_files = 0;
  for (std::size_t pi = 0; pi < policies.size(); ++pi) {
    const std::string& dir = policies[pi];
    INFO(dir);
    const ReversedNames renamed(dir);
    if (renamed.files() > 1) ++several_files;
    Engine as_named, reversed;
    test::load_policy(as_named, dir);
    test::load_policy(reversed, renamed.dir());
    const ReferenceEvaluator reference(dir);
    WorldGenerator gen(reference.policy(), 0x0dde7 + pi);
    for (int w = 0; w < 3; ++w) {
      const FactSet facts = gen.facts();
      REQUIRE(as_named.replace_facts(facts).ok);
      REQUIRE(reversed.replace_facts(facts).ok);
      for (int i = 0; i < 700; ++i) {
        const TestRequest tr = gen.request();
        const Request r = tr.view();
        Trace t1, t2;
        Decision d1, d2;
        as_named.decide(r, d1, t1);
        reversed.decide(r, d2, t2);
        for (std::uint8_t k = 0; k < d2.rule_count; ++k) d2.rules[k].file.assign(renamed.original(d2.rules[k].file.view()));
        // The policy's fingerprint covers its file names; nothing else may differ.
        d2.policy_fingerprint = d1.policy_fingerprint;
        const std::string j1 = decision_json(d1, &t1), j2 = decision_json(d2, &t2);
        if (j1 != j2) {
          INFO(tr.describe());
          CHECK(j1 == j2);
        }
        ++compared;
      }
    }
  }
  CHECK(several_files >= 6);
  CHECK(compared == policies.size() * 3 * 700);
}
