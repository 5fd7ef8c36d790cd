// A throwaway PostgreSQL cluster for the tests (see pg_cluster.hpp).
#include "tests/postgres/pg_cluster.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "postgres/pg.hpp"

#ifndef WARDEN_PG_TEST_ROOT
#define WARDEN_PG_TEST_ROOT "/tmp"
#endif

namespace warden::test {
namespace {

constexpr uid_t kNobody = 65534;

int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

}  // namespace

PgCluster& PgCluster::shared() {
  static PgCluster cluster;
  return cluster;
}

PgCluster::PgCluster() {
  bin_ = "/usr/lib/postgresql/15/bin";
  if (const char* b = std::getenv("WARDEN_PG_BIN")) bin_ = b;
  std::filesystem::create_directories(WARDEN_PG_TEST_ROOT);
  std::string tmpl = std::string(WARDEN_PG_TEST_ROOT) + "/cluster-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot make a temporary directory");
  dir_ = tmpl;
  as_nobody_ = ::geteuid() == 0;
  if (as_nobody_) {
    // The root is below /tmp, which `nobody` can traverse; the root itself
    // must let it through too.
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
    if (::chown(dir_.c_str(), kNobody, kNobody) != 0) throw std::runtime_error("cannot hand " + dir_ + " to nobody");
    std::filesystem::permissions(WARDEN_PG_TEST_ROOT, std::filesystem::perms::others_exec, std::filesystem::perm_options::add);
  }
  port_ = free_port();
  run(as_owner(bin_ + "/initdb -D " + dir_ + "/data -U warden -A trust -E UTF8 --locale=C --no-sync --no-instructions > " +
               dir_ + "/initdb.log 2>&1"));
  // Tuned for tests: no fsync (the machine does not crash under a test; a
  // killed server loses nothing: commits stay synchronous, so an immediate
  // restart keeps every committed row), loopback and a socket in the
  // cluster's own directory only.
  std::ofstream conf(dir_ + "/data/postgresql.conf", std::ios::app);
  conf << "listen_addresses = '127.0.0.1'\nport = " << port_ << "\nunix_socket_directories = '" << dir_
       << "'\nfsync = off\nfull_page_writes = off\nmax_connections = 50\n"
       << "shared_buffers = 64MB\n";
  conf.close();
  start();
}

PgCluster::~PgCluster() {
  try {
    stop();
    std::filesystem::remove_all(dir_);
  } catch (...) {
  }
}

std::string PgCluster::as_owner(const std::string& command) const {
  if (!as_nobody_) return command;
  return "setpriv --reuid=65534 --regid=65534 --clear-groups -- sh -c '" + command + "'";
}

void PgCluster::run(const std::string& command) const {
  if (std::system(command.c_str()) != 0) {
    std::ifstream log(dir_ + "/server.log");
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    throw std::runtime_error("failed: " + command + "\n" + text);
  }
}

void PgCluster::start() {
  if (running_) return;
  run(as_owner(bin_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/server.log -w -t 60 start > /dev/null"));
  running_ = true;
}

void PgCluster::stop() {
  if (!running_) return;
  run(as_owner(bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop > /dev/null"));
  running_ = false;
}

void PgCluster::restart() {
  run(as_owner(bin_ + "/pg_ctl -D " + dir_ + "/data -l " + dir_ + "/server.log -m immediate -w -t 60 restart > /dev/null"));
  running_ = true;
}

std::string PgCluster::url(const std::string& database) const {
  return "postgresql://warden@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PgCluster::create_database() {
  start();  // a test that failed with the server stopped must not take the next ones down
  const std::string name = "t" + std::to_string(++databases_);
  postgres::Connection c;
  if (!c.open(url("postgres"))) throw std::runtime_error("cannot connect: " + c.error());
  postgres::Result r = c.exec("CREATE DATABASE " + name);
  if (!r.ok()) throw std::runtime_error("cannot create database: " + r.error());
  return url(name);
}

}  // namespace warden::test
