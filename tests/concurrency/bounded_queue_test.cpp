// The decision log's bounded lock-free queue (server/bounded_queue.hpp): full
// means refused, and producers racing the consumer lose nothing that was
// accepted and deliver nothing twice. Here, not in tests/server/, so that the
// ThreadSanitizer build (scripts/test.sh) runs it; the queue is header-only.
#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "server/bounded_queue.hpp"

namespace warden::test {

TEST_CASE("the bounded queue refuses when full and loses nothing it took", "[server]") {
  server::BoundedQueue<std::string> q(4);
  CHECK(q.capacity() == 4);
  for (int i = 0; i < 4; ++i) {
    std::string s = std::to_string(i);
    CHECK(q.try_push(s));
  }
  std::string extra = "x";
  CHECK(!q.try_push(extra));
  CHECK(extra == "x");
  CHECK(*q.try_pop() == "0");
  CHECK(q.try_push(extra));

  // Producers racing one consumer: every accepted item arrives exactly once.
  server::BoundedQueue<std::string> shared(64);
  constexpr int kProducers = 4, kEach = 5000;
  std::atomic<int> accepted{0};
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kEach; ++i) {
        std::string s = std::to_string(p * kEach + i);
        if (shared.try_push(s)) accepted.fetch_add(1);
      }
    });
  }
  std::vector<char> seen(kProducers * kEach, 0);
  int received = 0;
  std::atomic<bool> done{false};
  std::thread joiner([&] {
    for (auto& t : producers) t.join();
    done = true;
  });
  for (;;) {
    const bool finished = done.load();
    while (auto s = shared.try_pop()) {
      const int v = std::stoi(*s);
      CHECK(seen[v] == 0);
      seen[v] = 1;
      ++received;
    }
    if (finished) break;
  }
  joiner.join();
  CHECK(received == accepted.load());
}

}  // namespace warden::test
