// `retort lint --probe`: what each statement of a migration really did when it ran on a scratch
// copy of the schema -- the locks its backend acquired (pg_locks) and the relations it
// rewrote (pg_class.relfilenode changed). The values here are filled by commands/lint.cc,
// which runs the statements, each in a transaction of its own so that its lock set is
// complete; this file only holds and prints them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace retort::lint {

struct RelationLock {
  std::string relation;  // schema.name
  std::string kind;      // "table", "index", "sequence", "view", "materialized view", ...
  std::string mode;      // as pg_locks says: "AccessExclusiveLock", "ShareLock", ...
};

enum class ProbeOutcome {
  kProbed,
  kNotProbed,  // e.g. CREATE INDEX CONCURRENTLY: it cannot run inside the probe's transaction
  kFailed,     // the server refused it; the probe stops there
};

struct ProbedStatement {
  int line = 0;
  std::string statement;  // whitespace collapsed, shortened
  ProbeOutcome outcome = ProbeOutcome::kProbed;
  std::string note;  // kNotProbed: why; kFailed: the server's error
  // Locks the statement acquired on relations that existed before it, strongest first.
  std::vector<RelationLock> locks;
  std::vector<std::string> rewritten_tables;  // new relfilenode: the table was rewritten
  std::vector<std::string> rebuilt_indexes;   // new relfilenode on an index
};

struct ProbeReport {
  std::string file;
  std::string revision;  // "" for a plain SQL file
  std::string replayed;  // what the scratch copy holds: "base", or the revisions' ids
  bool transactional = true;
  std::vector<ProbedStatement> statements;

  bool failed() const;
};

// The strongest lock per relation, strongest first, from `locks`.
std::vector<RelationLock> StrongestPerRelation(const std::vector<RelationLock>& locks);
// What a transactional migration holds until it commits: the strongest lock per relation over
// all its statements.
std::vector<RelationLock> HeldUntilCommit(const ProbeReport& report);

// Ranks pg_locks mode names, AccessShareLock (1) to AccessExclusiveLock (8); 0 when unknown.
int LockModeStrength(const std::string& mode);

std::string FormatProbeText(const ProbeReport& report);
nlohmann::json ProbeToJson(const ProbeReport& report);

}  // namespace retort::lint
