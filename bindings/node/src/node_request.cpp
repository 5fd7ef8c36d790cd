// Reading a flattened JavaScript request (see node_request.hpp).
#include "node_request.hpp"

#include <cmath>
#include <string>

#include "napi_util.hpp"
#include "node_errors.hpp"

namespace warden::node {
namespace {

using bindings::EntityField;
using bindings::RequestBuilder;
using bindings::RequestField;
using Owner = RequestBuilder::Owner;

enum Slot : std::size_t {
  kRequestId, kTenant, kPrincipalType, kPrincipalId, kApiKey, kAction, kResourceType, kResourceId, kMethod, kPath,
  kHeaders, kQuery, kPrincipalAttributes, kResourceAttributes, kContext, kTime, kClientIp, kMask, kUnknown, kPeer,
  kBody,
};
constexpr std::uint32_t kPrincipalGiven = 1u << 22, kResourceGiven = 1u << 23;
// Number.MAX_SAFE_INTEGER: the largest integer a JavaScript number holds exactly.
constexpr double kMaxSafeInteger = 9007199254740991.0;


// One request being read: the environment, the builder and a scratch string
// for the text of each value (its capacity reused from call to call).
struct Reader {
  napi_env env;
  RequestBuilder& b;
  std::string& text;
  std::string name;

  bool fail() {
    raise(env, ErrorKind::Request, b.error());
    return false;
  }

  // A string value into `text`, or a wrong-type error.
  bool string(napi_value v, std::string_view field, std::string_view of) {
    if (type_of(env, v) != napi_string) {
      b.wrong_type(field, of, "a string", a_kind(env, v));
      return fail();
    }
    return get_string(env, v, text);
  }

  // Items i and i + 1 of a flat [name, value, …] array.
  bool pair_at(napi_value array, std::uint32_t i, napi_value& k, napi_value& value) {
    return ok(env, napi_get_element(env, array, i, &k)) && ok(env, napi_get_element(env, array, i + 1, &value));
  }

  // headers/query: "name\0value\0…" or [name, value, …].
  bool pairs(napi_value v, bool headers) {
    const auto add = [&](std::string_view n, std::string_view value) {
      if (headers) b.header(n, value);
      else b.query(n, value);
    };
    if (type_of(env, v) == napi_string) {
      if (!get_string(env, v, text)) return false;
      std::string_view rest = text;
      while (!rest.empty()) {
        const auto a = rest.find('\0');
        const auto c = a == std::string_view::npos ? a : rest.find('\0', a + 1);
        if (c == std::string_view::npos) break;
        add(rest.substr(0, a), rest.substr(a + 1, c - a - 1));
        rest.remove_prefix(c + 1);
      }
      return true;
    }
    std::uint32_t n = 0;
    if (!ok(env, napi_get_array_length(env, v, &n))) return false;
    for (std::uint32_t i = 0; i + 1 < n; i += 2) {
      napi_value k = nullptr, value = nullptr;
      if (!pair_at(v, i, k, value)) return false;
      if (type_of(env, k) != napi_string || type_of(env, value) != napi_string) {
        b.fail(Code::F0203, std::string(headers ? "headers" : "query parameters") + " must be strings, not " +
                            a_kind(env, type_of(env, k) != napi_string ? k : value));
        return fail();
      }
      if (!get_string(env, k, name) || !get_string(env, value, text)) return false;
      add(name, text);
    }
    return true;
  }

  bool wrong_attribute(std::string_view of, const std::string& what) {
    b.fail(Code::F0203, "attribute `" + name + "` of " + std::string(of) +
                        " must be a string, an integer or a boolean, not " + what);
    return fail();
  }

  // A name/value attribute list of the principal, the resource or the context.
  bool attributes(napi_value v, Owner owner, std::string_view of) {
    std::uint32_t n = 0;
    if (!ok(env, napi_get_array_length(env, v, &n))) return false;
    for (std::uint32_t i = 0; i + 1 < n; i += 2) {
      napi_value k = nullptr, value = nullptr;
      if (!pair_at(v, i, k, value) || !get_string(env, k, name)) return false;
      switch (type_of(env, value)) {
        case napi_undefined:
        case napi_null: break;
        case napi_string:
          if (!get_string(env, value, text)) return false;
          b.attribute(owner, name, std::string_view(text));
          break;
        case napi_boolean: {
          bool flag = false;
          if (!ok(env, napi_get_value_bool(env, value, &flag))) return false;
          b.attribute_flag(owner, name, flag);
          break;
        }
        case napi_number: {
          double d = 0;
          if (!ok(env, napi_get_value_double(env, value, &d))) return false;
          if (std::floor(d) != d || std::fabs(d) > kMaxSafeInteger) return wrong_attribute(of, "a number");
          b.attribute(owner, name, static_cast<std::int64_t>(d));
          break;
        }
        case napi_bigint: {
          std::int64_t n64 = 0;
          bool lossless = false;
          if (!ok(env, napi_get_value_bigint_int64(env, value, &n64, &lossless))) return false;
          if (!lossless) {
            b.fail(Code::F0208,
                   "attribute `" + name + "` of " + std::string(of) + " is out of the 64-bit integer range");
            return fail();
          }
          b.attribute(owner, name, n64);
          break;
        }
        default: return wrong_attribute(of, a_kind(env, value));
      }
    }
    return true;
  }

  // `body`: [name, value, …]; strings, integers and booleans are taken,
  // members of other kinds left out (as the JSON reader leaves out null,
  // fractions, arrays and objects).
  bool body(napi_value v) {
    std::uint32_t n = 0;
    if (!ok(env, napi_get_array_length(env, v, &n))) return false;
    if (!b.body(n / 2)) return fail();
    for (std::uint32_t i = 0; i + 1 < n; i += 2) {
      napi_value k = nullptr, value = nullptr;
      if (!pair_at(v, i, k, value) || !get_string(env, k, name)) return false;
      switch (type_of(env, value)) {
        case napi_string:
          if (!get_string(env, value, text)) return false;
          b.body_field(name, AttributeValue::string(text));
          break;
        case napi_boolean: {
          bool flag = false;
          if (!ok(env, napi_get_value_bool(env, value, &flag))) return false;
          b.body_field(name, AttributeValue::flag(flag));
          break;
        }
        case napi_number: {
          double d = 0;
          if (!ok(env, napi_get_value_double(env, value, &d))) return false;
          if (std::floor(d) == d && std::fabs(d) <= kMaxSafeInteger) {
            b.body_field(name, AttributeValue::integer(static_cast<std::int64_t>(d)));
          }
          break;
        }
        default: break;
      }
    }
    return true;
  }

  bool time(napi_value v) {
    const napi_valuetype t = type_of(env, v);
    constexpr std::string_view expected = "an RFC 3339 time string, Unix seconds or a Date";
    if (t == napi_string) {
      if (!get_string(env, v, text)) return false;
      return b.time(text) || fail();
    }
    double d = 0;
    if (t != napi_number || !ok(env, napi_get_value_double(env, v, &d)) || std::floor(d) != d) {
      b.wrong_type("time", "context", expected, a_kind(env, v));
      return fail();
    }
    // Only a safe integer is Unix seconds (as for integer attributes); the
    // cast of anything larger, or of an infinity, would be undefined.
    if (std::fabs(d) > kMaxSafeInteger) {
      b.wrong_type("time", "context", expected, "a number out of the safe integer range");
      return fail();
    }
    return b.time(static_cast<std::int64_t>(d));
  }
};

}  // namespace

bool read_request(napi_env env, const napi_value* s, RequestBuilder& b, std::string& text, bool need_target) {
  b.reset();
  Reader r{env, b, text, {}};
  std::uint32_t mask = 0;
  if (!ok(env, napi_get_value_uint32(env, s[kMask], &mask))) return false;
  const auto has = [&](Slot slot) { return (mask & (1u << slot)) != 0; };
  if (has(kUnknown)) {
    if (!get_string(env, s[kUnknown], text)) return false;
    const auto nul = text.find('\0');
    b.unknown_field(std::string_view(text).substr(0, nul),
                    nul == std::string::npos ? "request" : std::string_view(text).substr(nul + 1));
    return r.fail();
  }
  if (mask & kPrincipalGiven) b.entity_seen(true);
  if (mask & kResourceGiven) b.entity_seen(false);

  struct Text {
    Slot slot;
    RequestField field;
    const char* name;
  };
  static constexpr Text kTexts[] = {
      {kRequestId, RequestField::RequestId, "request_id"}, {kTenant, RequestField::Tenant, "tenant"},
      {kApiKey, RequestField::ApiKey, "api_key"},          {kAction, RequestField::Action, "action"},
      {kMethod, RequestField::Method, "method"},           {kPath, RequestField::Path, "path"},
  };
  for (const Text& t : kTexts) {
    if (!has(t.slot)) continue;
    if (!r.string(s[t.slot], t.name, "request")) return false;
    if (!b.text(t.field, text)) return r.fail();
  }
  struct EntityText {
    Slot slot;
    bool principal;
    EntityField field;
    const char* name;
  };
  static constexpr EntityText kEntity[] = {
      {kPrincipalType, true, EntityField::Type, "type"},
      {kPrincipalId, true, EntityField::Id, "id"},
      {kResourceType, false, EntityField::Type, "type"},
      {kResourceId, false, EntityField::Id, "id"},
  };
  for (const EntityText& t : kEntity) {
    if (!has(t.slot)) continue;
    if (!r.string(s[t.slot], t.name, t.principal ? "principal" : "resource")) return false;
    if (!b.entity_text(t.principal, t.field, text)) return r.fail();
  }
  if (has(kHeaders) && !r.pairs(s[kHeaders], true)) return false;
  if (has(kQuery) && !r.pairs(s[kQuery], false)) return false;
  if (has(kPrincipalAttributes) && !r.attributes(s[kPrincipalAttributes], Owner::Principal, "principal")) return false;
  if (has(kResourceAttributes) && !r.attributes(s[kResourceAttributes], Owner::Resource, "resource")) return false;
  if (has(kContext) && !r.attributes(s[kContext], Owner::Context, "context")) return false;
  if (has(kTime) && !r.time(s[kTime])) return false;
  if (has(kClientIp)) {
    if (!r.string(s[kClientIp], "client_ip", "context")) return false;
    if (!b.client_ip(text)) return r.fail();
  }
  if (has(kPeer)) {
    if (!r.string(s[kPeer], "peer", "request")) return false;
    if (!b.text(RequestField::Peer, text)) return r.fail();
  }
  if (has(kBody) && !r.body(s[kBody])) return false;
  if (!b.finish(need_target)) return r.fail();
  return true;
}

}  // namespace warden::node
