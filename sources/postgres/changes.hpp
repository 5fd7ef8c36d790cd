// Change notifications gathered into one batch of rows to re-read.
//
// Pipeline position: sources/postgres/, between the notifications the
// triggers send (triggers.hpp) and the loader's refresh(). A batch records,
// per planned mapping, the keys of the rows that changed — each once, however
// many notifications named it — or that the whole mapping must be re-read
// (a TRUNCATE, a query's watched table, a payload without keys). It also
// keeps the last transaction id seen: notifications arrive in commit order,
// so once the batch is applied the facts reflect every transaction up to it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "postgres/plan.hpp"

namespace warden::postgres {

class ChangeBatch {
 public:
  explicit ChangeBatch(const Plan& plan);

  // Add one notification's payload. False when it cannot be read (then
  // every mapping is marked for a whole re-read: nothing is lost).
  bool add(std::string_view payload);
  void clear();

  bool empty() const { return rows_ == 0 && !any_whole_; }
  std::size_t rows() const { return rows_; }        // distinct rows to re-read
  std::size_t notifications() const { return notifications_; }
  std::uint64_t last_xid() const { return last_xid_; }

  struct Keys {
    bool whole = false;
    std::vector<std::vector<std::string>> columns;  // one array per key column: the unnest() parameters
    std::vector<std::string> row_keys;              // as row_key() writes them
    std::unordered_set<std::string> seen;
  };
  const std::vector<Keys>& mappings() const { return keys_; }

 private:
  const Plan& plan_;
  std::vector<Keys> keys_;
  std::size_t rows_ = 0;
  std::size_t notifications_ = 0;
  std::uint64_t last_xid_ = 0;
  bool any_whole_ = false;
};

}  // namespace warden::postgres
