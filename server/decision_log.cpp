// The decision log's writer thread, rotation and sampling (see decision_log.hpp).
#include "server/decision_log.hpp"

#include <chrono>
#include <filesystem>
#include <random>

namespace warden::server {
namespace fs = std::filesystem;

DecisionLog::DecisionLog(DecisionLogOptions options)
    : options_(std::move(options)), queue_(options_.queue_capacity) {
  enabled_ = !options_.path.empty();
  to_stdout_ = options_.path == "-";
}

DecisionLog::~DecisionLog() { stop(); }

std::optional<std::string> DecisionLog::start() {
  if (!enabled_) return std::nullopt;
  if (to_stdout_) {
    file_ = stdout;
  } else if (!open_file()) {
    return "cannot open decision log `" + options_.path + "` for appending";
  }
  writer_ = std::thread([this] { run(); });
  return std::nullopt;
}

bool DecisionLog::open_file() {
  file_ = std::fopen(options_.path.c_str(), "ae");
  if (!file_) return false;
  std::error_code ec;
  const auto size = fs::file_size(options_.path, ec);
  file_bytes_ = ec ? 0 : size;
  return true;
}

bool DecisionLog::sample(bool allowed) {
  if (!enabled_) return false;
  if (!allowed || options_.sample_allow >= 1.0) return true;
  // A per-thread generator: no shared state between producers.
  thread_local std::minstd_rand rng(static_cast<unsigned>(std::hash<std::thread::id>{}(std::this_thread::get_id())));
  const bool keep = std::uniform_real_distribution<double>(0.0, 1.0)(rng) < options_.sample_allow;
  if (!keep) sampled_out_.fetch_add(1, std::memory_order_relaxed);
  return keep;
}

bool DecisionLog::submit(std::string& line) {
  if (!enabled_) return false;
  if (queue_.try_push(line)) return true;
  dropped_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void DecisionLog::flush_batch() {
  if (batch_.empty()) return;
  const std::uint64_t records = batch_records_;
  batch_records_ = 0;
  if (!file_ || std::fwrite(batch_.data(), 1, batch_.size(), file_) != batch_.size()) {
    write_errors_.fetch_add(records, std::memory_order_relaxed);
    batch_.clear();
    return;
  }
  written_.fetch_add(records, std::memory_order_relaxed);
  file_bytes_ += batch_.size();
  batch_.clear();
  if (options_.max_bytes > 0 && file_bytes_ >= options_.max_bytes && !to_stdout_) rotate();
}

// PATH.(keep-1) → PATH.keep, …, PATH → PATH.1, then a new PATH.
void DecisionLog::rotate() {
  std::fclose(file_);
  file_ = nullptr;
  std::error_code ec;
  for (unsigned i = options_.keep; i > 1; --i) {
    fs::rename(options_.path + "." + std::to_string(i - 1), options_.path + "." + std::to_string(i), ec);
  }
  if (options_.keep > 0) {
    fs::rename(options_.path, options_.path + ".1", ec);
  } else {
    fs::remove(options_.path, ec);
  }
  if (!open_file()) write_errors_.fetch_add(1, std::memory_order_relaxed);
  rotations_.fetch_add(1, std::memory_order_relaxed);
}

void DecisionLog::run() {
  for (;;) {
    // Acquire: pairs with stop()'s release, so records pushed before stop()
    // are seen by the drain below.
    const bool stopping = stop_.load(std::memory_order_acquire);
    if (reopen_.exchange(false, std::memory_order_relaxed) && !to_stdout_) {
      if (file_) std::fclose(file_);
      if (!open_file()) write_errors_.fetch_add(1, std::memory_order_relaxed);
      rotations_.fetch_add(1, std::memory_order_relaxed);
    }
    // Records are gathered into one buffer and written with one call: a
    // write per record would cost the writer more than the workers spend
    // making them.
    bool any = false;
    while (auto line = queue_.try_pop()) {
      batch_ += *line;
      batch_ += '\n';
      ++batch_records_;
      any = true;
      // Past the rotation size, this record ends the file.
      if (batch_.size() >= kBatchBytes || (options_.max_bytes > 0 && file_bytes_ + batch_.size() >= options_.max_bytes)) {
        flush_batch();
      }
    }
    flush_batch();
    if (file_) std::fflush(file_);
    if (stopping) return;
    // The queue was empty: producers never signal (that would cost them a
    // system call per decision), so the writer naps briefly. A record waits
    // at most about a millisecond before it reaches the file.
    if (!any) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void DecisionLog::stop() {
  if (!writer_.joinable()) return;
  stop_.store(true, std::memory_order_release);
  writer_.join();
  if (file_ && !to_stdout_) std::fclose(file_);
  if (to_stdout_) std::fflush(stdout);
  file_ = nullptr;
}

DecisionLogCounters DecisionLog::counters() const {
  DecisionLogCounters c;
  c.written = written_.load(std::memory_order_relaxed);
  c.dropped = dropped_.load(std::memory_order_relaxed);
  c.sampled_out = sampled_out_.load(std::memory_order_relaxed);
  c.rotations = rotations_.load(std::memory_order_relaxed);
  c.write_errors = write_errors_.load(std::memory_order_relaxed);
  c.depth = queue_.approximate_size();
  c.capacity = queue_.capacity();
  return c;
}

}  // namespace warden::server
