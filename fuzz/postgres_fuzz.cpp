// libFuzzer target: what the PostgreSQL fact source reads from outside —
// the mapping file, change notifications' payloads, and rows in COPY text
// format.
//
// The first byte picks the reader, the rest is its input:
//   0  the mapping file (TOML): parse_mapping(), then, when it is accepted,
//      check_against_policy() against the example policy. Every diagnostic
//      points inside the file (or nowhere) and has a message; an accepted
//      mapping has entries.
//   1  a notification payload, added to a change batch planned over the
//      example mapping's entries. A payload it cannot read marks every
//      mapping for a whole re-read (nothing is lost).
//   2  a COPY text line: decode_copy_line(); an accepted line re-encoded
//      with append_copy_field() decodes to the same fields.
// No database is needed: the plan for payloads is built from the parsed
// example mapping with one key column per table.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver.hpp"
#include "fuzz_check.hpp"
#include "postgres/changes.hpp"
#include "postgres/mapping.hpp"
#include "postgres/mapping_policy.hpp"
#include "postgres/pg.hpp"
#include "postgres/plan.hpp"

namespace {

using namespace warden;

struct World {
  compiler::Compilation policy;
  SourceSet sources;
  postgres::Mapping mapping;
  postgres::Plan plan;

  World() {
    const std::string root = WARDEN_SOURCE_DIR;
    policy = compiler::compile_path(root + "/examples/postgres/policy");
    if (!policy.ok()) std::abort();
    std::ifstream in(root + "/examples/postgres/mapping.toml");
    std::stringstream text;
    text << in.rdbuf();
    postgres::MappingResult parsed = postgres::parse_mapping(sources, "mapping.toml", text.str());
    if (!parsed.mapping) std::abort();
    mapping = std::move(*parsed.mapping);
    plan.channel = mapping.channel;
    for (const postgres::FactMapping& m : mapping.entries) {
      postgres::PlannedMapping p;
      p.mapping = &m;
      p.key_columns = {"id"};
      p.watched = {m.from_query() ? "public.watched" : "public." + m.table};
      plan.mappings.push_back(std::move(p));
    }
  }
};

void fuzz_mapping(const World& world, std::string_view text) {
  SourceSet sources;
  const postgres::MappingResult r = postgres::parse_mapping(sources, "fuzz.toml", std::string(text));
  for (const Diagnostic& d : r.diagnostics) {
    WARDEN_FUZZ_CHECK(!d.message.empty());
    WARDEN_FUZZ_CHECK(!d.span.valid() || d.span.offset + d.span.length <= text.size() + 1);
  }
  if (!r.mapping) {
    WARDEN_FUZZ_CHECK(!r.diagnostics.empty());
    return;
  }
  for (const Diagnostic& d : postgres::check_against_policy(*r.mapping, *world.policy.program)) {
    WARDEN_FUZZ_CHECK(!d.message.empty());
  }
}

void fuzz_payload(const World& world, std::string_view payload) {
  postgres::ChangeBatch batch(world.plan);
  const bool read = batch.add(payload);
  WARDEN_FUZZ_CHECK(batch.notifications() == 1);
  if (!read) {
    // Unreadable: everything is re-read, so no change can be missed.
    for (const auto& keys : batch.mappings()) WARDEN_FUZZ_CHECK(keys.whole);
  }
}

void fuzz_copy_line(std::string_view line) {
  std::vector<postgres::Field> fields;
  std::vector<std::string> storage;
  if (line.find('\n') != std::string_view::npos) return;  // one line at a time, as copy_out() gives them
  if (!postgres::decode_copy_line(line, fields, storage)) return;
  // The fields as values: `fields` points into `storage`, which the
  // second decode reuses.
  std::vector<std::optional<std::string>> first;
  for (const auto& f : fields) first.push_back(f ? std::optional<std::string>(*f) : std::nullopt);
  std::string again;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) again += '\t';
    postgres::append_copy_field(again, fields[i]);
  }
  std::vector<std::string> storage2;
  WARDEN_FUZZ_CHECK(postgres::decode_copy_line(again, fields, storage2));
  WARDEN_FUZZ_CHECK(fields.size() == first.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    WARDEN_FUZZ_CHECK(fields[i].has_value() == first[i].has_value());
    WARDEN_FUZZ_CHECK(!fields[i] || *fields[i] == *first[i]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const World world;
  if (size == 0 || size > 16384) return -1;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: fuzz_mapping(world, input); break;
    case 1: fuzz_payload(world, input); break;
    default: fuzz_copy_line(input); break;
  }
  return 0;
}
