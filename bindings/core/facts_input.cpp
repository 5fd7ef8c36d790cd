// Facts and updates from host-language input (see facts_input.hpp).
#include "bindings/core/facts_input.hpp"

#include "support/diagnostic.hpp"
#include "support/file_io.hpp"
#include "warden/facts_json.hpp"

namespace warden::bindings {

std::optional<InputError> replace_facts(Engine& engine, const std::vector<FactsSource>& sources) {
  FactsReader reader;
  for (const FactsSource& s : sources) {
    std::optional<InputError> e;
    switch (s.kind) {
      case FactsSource::Kind::File: e = reader.add_file(s.text); break;
      case FactsSource::Kind::Document: e = reader.add(s.text, s.name, FactsFormat::Document); break;
      case FactsSource::Kind::Lines: e = reader.add(s.text, s.name, FactsFormat::Lines); break;
    }
    if (e) return e;
  }
  const Status status = engine.replace_facts(reader.facts());
  if (status.ok) return std::nullopt;
  return InputError{status.code, status.message, "", status.line, 0};
}

std::optional<InputError> apply_update(Engine& engine, std::string_view text, std::string_view name) {
  ParsedUpdate parsed = parse_update(text, name);
  if (!parsed.ok()) return parsed.error;
  const Status status = engine.apply(parsed.update);
  if (status.ok) return std::nullopt;
  return update_error(status, parsed, name);
}

std::optional<InputError> apply_update_file(Engine& engine, const std::string& path) {
  FileRead file = read_file(path);
  if (!file.ok()) {
    return InputError{std::string(code_name(Code::F0100)), "cannot read update file `" + path + "`", path, 0, 0};
  }
  return apply_update(engine, file.bytes, path);
}

}  // namespace warden::bindings
