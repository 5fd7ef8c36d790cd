-- A few rows to follow: one organization, two users, a team, two models.
INSERT INTO organizations (id, name) VALUES ('acme', 'Acme Corp');
INSERT INTO users (id, email, organization_id) VALUES
  ('alice', 'alice@acme.example', 'acme'),
  ('bob', 'bob@acme.example', 'acme');
INSERT INTO teams (id, name, organization_id) VALUES ('ml-platform', 'ML platform', 'acme');
INSERT INTO team_members (team_id, user_id) VALUES ('ml-platform', 'bob');
INSERT INTO models (id, name, organization_id, owner_id, stage) VALUES
  ('churn', 'Churn predictor', 'acme', 'alice', 'STAGING'),
  ('fraud', 'Fraud scorer', 'acme', 'alice', 'PRODUCTION');
