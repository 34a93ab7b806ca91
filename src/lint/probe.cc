#include "lint/probe.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "base/strings.h"

namespace retort::lint {

namespace {

std::string OutcomeName(ProbeOutcome outcome) {
  switch (outcome) {
    case ProbeOutcome::kProbed:
      return "probed";
    case ProbeOutcome::kNotProbed:
      return "not probed";
    case ProbeOutcome::kFailed:
      return "failed";
  }
  return "";
}

}  // namespace

bool ProbeReport::failed() const {
  for (const ProbedStatement& statement : statements) {
    if (statement.outcome == ProbeOutcome::kFailed) return true;
  }
  return false;
}

int LockModeStrength(const std::string& mode) {
  static constexpr std::array<std::string_view, 8> kModes = {
      "AccessShareLock", "RowShareLock",          "RowExclusiveLock", "ShareUpdateExclusiveLock",
      "ShareLock",       "ShareRowExclusiveLock", "ExclusiveLock",    "AccessExclusiveLock"};
  for (size_t i = 0; i < kModes.size(); ++i) {
    if (kModes[i] == mode) return static_cast<int>(i) + 1;
  }
  return 0;
}

std::vector<RelationLock> StrongestPerRelation(const std::vector<RelationLock>& locks) {
  std::vector<RelationLock> strongest;
  for (const RelationLock& lock : locks) {
    auto same = std::find_if(strongest.begin(), strongest.end(), [&](const RelationLock& kept) {
      return kept.relation == lock.relation;
    });
    if (same == strongest.end()) {
      strongest.push_back(lock);
    } else if (LockModeStrength(lock.mode) > LockModeStrength(same->mode)) {
      *same = lock;
    }
  }
  std::stable_sort(strongest.begin(), strongest.end(),
                   [](const RelationLock& a, const RelationLock& b) {
                     int strength_a = LockModeStrength(a.mode);
                     int strength_b = LockModeStrength(b.mode);
                     if (strength_a != strength_b) return strength_a > strength_b;
                     return a.relation < b.relation;
                   });
  return strongest;
}

std::vector<RelationLock> HeldUntilCommit(const ProbeReport& report) {
  std::vector<RelationLock> all;
  for (const ProbedStatement& statement : report.statements) {
    all.insert(all.end(), statement.locks.begin(), statement.locks.end());
  }
  return StrongestPerRelation(all);
}

std::string FormatProbeText(const ProbeReport& report) {
  std::string text = "probe of " + report.file +
                     (report.revision.empty() ? "" : " (revision " + report.revision + ")") +
                     " on a scratch database at " + report.replayed +
                     ", each statement in a transaction of its own:\n";
  for (const ProbedStatement& statement : report.statements) {
    text += report.file + ":" + std::to_string(statement.line) + ": " + statement.statement + "\n";
    if (statement.outcome == ProbeOutcome::kNotProbed) {
      text += "  not probed: " + statement.note + "\n";
      continue;
    }
    if (statement.outcome == ProbeOutcome::kFailed) {
      text += "  failed: " + statement.note + "\n";
      continue;
    }
    std::vector<std::string> locks;
    for (const RelationLock& lock : StrongestPerRelation(statement.locks)) {
      locks.push_back(lock.mode + " on " + lock.kind + " " + lock.relation);
    }
    text += "  locks: " + (locks.empty() ? std::string("none") : Join(locks, ", ")) + "\n";
    text += "  rewrites: " + (statement.rewritten_tables.empty()
                                  ? std::string("none")
                                  : Join(statement.rewritten_tables, ", "));
    if (!statement.rebuilt_indexes.empty()) {
      text += " (indexes rebuilt: " + Join(statement.rebuilt_indexes, ", ") + ")";
    }
    text += "\n";
  }
  if (report.transactional) {
    std::vector<std::string> held;
    for (const RelationLock& lock : HeldUntilCommit(report)) {
      held.push_back(lock.mode + " on " + lock.kind + " " + lock.relation);
    }
    text += "held until the migration commits: " +
            (held.empty() ? std::string("no locks") : Join(held, ", ")) + "\n";
  }
  return text;
}

nlohmann::json ProbeToJson(const ProbeReport& report) {
  nlohmann::json statements = nlohmann::json::array();
  for (const ProbedStatement& statement : report.statements) {
    nlohmann::json locks = nlohmann::json::array();
    for (const RelationLock& lock : statement.locks) {
      locks.push_back({{"relation", lock.relation}, {"kind", lock.kind}, {"mode", lock.mode}});
    }
    statements.push_back({{"line", statement.line},
                          {"statement", statement.statement},
                          {"outcome", OutcomeName(statement.outcome)},
                          {"note", statement.note},
                          {"locks", locks},
                          {"rewritten_tables", statement.rewritten_tables},
                          {"rebuilt_indexes", statement.rebuilt_indexes}});
  }
  nlohmann::json held = nlohmann::json::array();
  if (report.transactional) {
    for (const RelationLock& lock : HeldUntilCommit(report)) {
      held.push_back({{"relation", lock.relation}, {"kind", lock.kind}, {"mode", lock.mode}});
    }
  }
  return {{"file", report.file},
          {"held_until_commit", held},
          {"revision",
           report.revision.empty() ? nlohmann::json(nullptr) : nlohmann::json(report.revision)},
          {"replayed", report.replayed},
          {"transactional", report.transactional},
          {"statements", statements}};
}

}  // namespace retort::lint
