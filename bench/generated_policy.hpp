// Generated policies of a given size, for benchmarks: N resource types' worth
// of actions, scopes, endpoints and rules in the shape of the reference
// gateway and RBAC policies, so that sizes scale the way real policies do.
#pragma once

#include <string>

namespace warden::bench {

inline std::string generated_policy(int rules) {
  std::string s = "policy generated;\n";
  s += "tenancy { isolation on; tenant from header \"X-Tenant-ID\", principal; }\n";
  s += "levels read < write < execute < admin;\n";
  s += "role viewer;\nrole developer inherits viewer;\nrole manager inherits developer;\nrole admin inherits manager;\n";
  s += "principal org { attribute status: active | suspended | inactive; }\n";
  s += "principal team member of org;\nprincipal user member of team, org { attribute department: string; }\n";
  s += "scope admin implies *;\n";
  // Ten rules and ten endpoints per resource type.
  const int types = rules / 10 > 0 ? rules / 10 : 1;
  for (int t = 0; t < types; ++t) {
    const std::string r = "res" + std::to_string(t);
    s += "scope " + r + ":read;\nscope " + r + ":write implies " + r + ":read;\n";
    s += "resource " + r + " {\n  actions read, list, create, update, delete, execute;\n"
         "  attribute org: org;\n  attribute owner: user;\n  attribute stage: draft | live | archived;\n"
         "  grants to user, team, org;\n  level read: read, list;\n  level write: create, update;\n"
         "  level execute: execute;\n  level admin: delete;\n}\n";
    const std::string base = "\"/api/" + r;
    s += "endpoint GET " + base + "\" { requires " + r + ":read; action list on " + r + "; }\n";
    s += "endpoint POST " + base + "\" { requires " + r + ":write; action create on " + r + "; }\n";
    s += "endpoint GET " + base + "/{id}\" { requires " + r + ":read; action read on " + r + "(id); }\n";
    s += "endpoint PUT " + base + "/{id}\" { requires " + r + ":write; action update on " + r + "(id); }\n";
    s += "endpoint PATCH " + base + "/{id}\" { requires " + r + ":write; action update on " + r + "(id); }\n";
    s += "endpoint DELETE " + base + "/{id}\" { requires all(" + r + ":write, admin); action delete on " + r + "(id); }\n";
    s += "endpoint POST " + base + "/{id}/run\" { requires any(" + r + ":write, admin); action execute on " + r + "(id); }\n";
    s += "endpoint GET " + base + "/{id}/files/**\" { requires " + r + ":read; action read on " + r + "(id); }\n";
    s += "endpoint GET " + base + "/search\" { requires " + r + ":read; action list on " + r + "; }\n";
    s += "endpoint GET " + base + "/{id}/versions/{v}\" { requires " + r + ":read; action read on " + r + "(id); }\n";
    s += "allow " + r + "_viewers: role viewer to read, list on " + r + ";\n";
    s += "allow " + r + "_developers: role developer to create, update on " + r + " unless resource.stage == archived;\n";
    s += "allow " + r + "_managers: role manager to execute on " + r + " when context.time in hours(\"06:00\", \"22:00\");\n";
    s += "allow " + r + "_admins: role admin to delete on " + r + " when context.client_ip in cidr(\"10.0.0.0/8\");\n";
    s += "allow " + r + "_grants: grant to * on " + r + ";\n";
    s += "allow " + r + "_owner: anyone to * on " + r + " when resource.owner == principal.id;\n";
    s += "allow " + r + "_members: member of resource.org to read on " + r + ";\n";
    s += "allow " + r + "_scoped: scope " + r + ":read to read, list on " + r + ";\n";
    s += "deny " + r + "_suspended: anyone to create, update, execute on " + r +
         " when resource.org.status == suspended code ORG_SUSPENDED message \"organization {resource.org} is suspended\";\n";
    s += "deny " + r + "_archived: anyone to update on " + r +
         " when resource.stage == archived and not role admin code ARCHIVED;\n";
  }
  return s;
}

}  // namespace warden::bench
