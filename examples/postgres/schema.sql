-- The model-permissions service's own tables (scenario 2 of the design):
-- organizations with a status, users, teams and their members, models, and
-- the grants on models. Warden reads them as they are, through mapping.toml.

CREATE TABLE organizations (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  status     text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED', 'INACTIVE'))
);

CREATE TABLE users (
  id                text PRIMARY KEY,
  email             text NOT NULL,
  organization_id   text REFERENCES organizations (id),
  is_platform_admin boolean NOT NULL DEFAULT false
);

CREATE TABLE teams (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  organization_id text NOT NULL REFERENCES organizations (id)
);

CREATE TABLE team_members (
  team_id text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role    text NOT NULL DEFAULT 'member',
  PRIMARY KEY (team_id, user_id)
);

CREATE TABLE models (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  organization_id text NOT NULL REFERENCES organizations (id),
  owner_id        text REFERENCES users (id),
  stage           text NOT NULL DEFAULT 'NONE' CHECK (stage IN ('NONE', 'STAGING', 'PRODUCTION', 'ARCHIVED')),
  is_sensitive    boolean NOT NULL DEFAULT false
);

CREATE TABLE model_permissions (
  id               bigserial PRIMARY KEY,
  model_id         text NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  grantee_type     text NOT NULL CHECK (grantee_type IN ('user', 'team', 'organization')),
  grantee_id       text NOT NULL,
  permission_level text NOT NULL CHECK (permission_level IN ('READ', 'WRITE', 'EXECUTE', 'ADMIN')),
  expires_at       timestamptz,
  is_active        boolean NOT NULL DEFAULT true,
  revoked_at       timestamptz,
  reason           text,
  granted_by       text REFERENCES users (id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_permissions_model ON model_permissions (model_id);

-- The access log the decision service can write its decisions to.
CREATE TABLE model_access_logs (
  id                bigserial PRIMARY KEY,
  model_id          text,
  user_id           text,
  access_type       text NOT NULL,
  access_result     text NOT NULL,
  permission_source text,
  permission_id     text,
  session_id        text,
  ip_address        inet,
  user_agent        text,
  details           jsonb,
  created_at        timestamptz NOT NULL DEFAULT now()
);
