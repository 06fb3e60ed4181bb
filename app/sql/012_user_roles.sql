-- Schema version 12: a user holds a set of roles (radiologist, admin) instead of exactly one, so a
-- site's first administrator may also read and sign reports. Every existing user keeps the role it
-- had. users.role stays only because SQLite 3.15 (SQLCipher 3.4) cannot drop a column; it is no
-- longer read, and new users store their admin role there when they have it (else radiologist).
CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role    TEXT NOT NULL CHECK (role IN ('radiologist', 'admin')),
  PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles(user_id, role) SELECT id, role FROM users;
