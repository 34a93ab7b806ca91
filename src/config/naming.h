// Naming conventions for constraints and indexes the desired schema leaves unnamed
// ([naming_convention] in retort.toml), with SQLAlchemy's MetaData(naming_convention=...)
// semantics: the same tokens (written {token} or SQLAlchemy's %(token)s), the same values for
// them, and the same shortening of a name longer than PostgreSQL's 63 bytes, so that a team
// moving from Alembic gets the names its models always produced.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace retort::config {

enum class NamedKind { kPrimaryKey, kUnique, kCheck, kForeignKey, kIndex };

// "pk", "uq", "ck", "fk", "ix": the convention's keys.
const char* ConventionKey(NamedKind kind);

// What the tokens are filled from.
struct NamingSubject {
  std::string table;
  std::vector<std::string> columns;  // in key order; an expression's place holds ""
  std::string referred_table;        // foreign keys
  std::vector<std::string> referred_columns;
  std::string constraint_name;  // an explicit name, "" when there is none
};

class NamingConvention {
 public:
  NamingConvention() = default;
  // InvalidInput naming the key and the token for an unknown key or token, or a %( without its
  // closing )s.
  static Result<NamingConvention> Make(const std::map<std::string, std::string>& templates);

  bool empty() const { return templates_.empty(); }
  bool Covers(NamedKind kind) const { return templates_.count(ConventionKey(kind)) > 0; }

  // The conventional name, shortened as SQLAlchemy does; nullopt when the kind has no template,
  // or when it needs {constraint_name} and the subject has none (SQLAlchemy refuses those too).
  std::optional<std::string> Name(NamedKind kind, const NamingSubject& subject) const;

  // Whether `name` is what the convention gives `subject`, any explicit name standing for
  // {constraint_name} (so "ck_orders_positive" follows "ck_{table}_{constraint_name}").
  bool Follows(NamedKind kind, const NamingSubject& subject, const std::string& name) const;

  // The template of `kind` as written ("" when none), for messages.
  std::string Template(NamedKind kind) const;

 private:
  struct Part {
    bool literal = true;
    std::string text;  // the literal, or the token's name
  };
  std::map<std::string, std::vector<Part>> templates_;
  std::map<std::string, std::string> written_;
};

// SQLAlchemy's shortening of a generated name longer than `max_length` characters: its first
// max_length - 8 characters, "_", and the last 4 hex digits of the MD5 of the whole name.
std::string ShortenLikeSqlAlchemy(const std::string& name, size_t max_length = 63);

}  // namespace retort::config
