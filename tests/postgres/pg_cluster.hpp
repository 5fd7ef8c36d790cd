// A throwaway PostgreSQL cluster for the tests: Debian's binaries, a
// temporary directory, loopback only, started once per test process and
// stopped when it ends.
//
// Pipeline position: tests/postgres/, under the tests of sources/postgres/.
// PostgreSQL refuses to run as root, so under root (CI) the cluster runs as
// `nobody` (setpriv). Its directory lives below WARDEN_PG_TEST_ROOT (in
// /tmp, one per build tree): a CTest cleanup step stops any cluster a
// crashed test left behind. Every test gets a database of its own (create_database()).
#pragma once

#include <string>

namespace warden::test {

class PgCluster {
 public:
  // The process's cluster, started on first use (a failure to start fails
  // the test that asked).
  static PgCluster& shared();
  ~PgCluster();

  // A new, empty database; its URL.
  std::string create_database();
  std::string url(const std::string& database) const;

  // The server process killed without a clean shutdown and started again on
  // the same port: connections drop, data stays.
  void restart();
  void stop();   // immediate
  void start();

  const std::string& dir() const { return dir_; }

 private:
  PgCluster();
  void run(const std::string& command) const;  // throws on failure
  std::string as_owner(const std::string& command) const;

  std::string dir_;
  std::string bin_;
  int port_ = 0;
  bool as_nobody_ = false;
  bool running_ = false;
  int databases_ = 0;
};

}  // namespace warden::test
