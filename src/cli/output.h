// Printing command results as text (Alembic-like) or JSON (--format json).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "commands/commands.h"

namespace retort::cli {

// A line redrawn in place on the log: back to its start, erase to the end, write. Off a terminal
// (RETORT_PROGRESS=always) the same bytes go to the file.
class RedrawnLine : public executor::LiveLine {
 public:
  explicit RedrawnLine(std::ostream& out) : out_(out) {}
  void Show(std::string_view text) override;
  void Erase() override;

 private:
  std::ostream& out_;
};

enum class Format { kText, kJson };

void PrintCurrent(const commands::CurrentReport& report, bool verbose, Format format,
                  std::ostream& out);
void PrintHistory(const commands::HistoryReport& report, bool verbose, Format format,
                  std::ostream& out);
void PrintHeads(const std::vector<commands::RevisionInfo>& heads, bool verbose, Format format,
                std::ostream& out);
void PrintBranches(const std::vector<commands::BranchReport>& branches, Format format,
                   std::ostream& out);
void PrintShow(const commands::ShowReport& report, Format format, std::ostream& out);
void PrintValidate(const commands::ValidateReport& report, Format format, std::ostream& out);
void PrintBackups(const std::vector<commands::BackupInfo>& backups, Format format,
                  std::ostream& out);
void PrintRestore(const commands::RestoreReport& report, Format format, std::ostream& out);
void PrintDev(const commands::DevReport& report, Format format, std::ostream& out);
// `retort test`: one line per check (PASS/FAIL/SKIP), failure details indented, then totals.
void PrintTestReport(const commands::TestReport& report, Format format, std::ostream& out);

// `retort fleet` (fleet_output.cc): a table with one row per target, then totals (status: a
// count of targets per revision), or JSON.
void PrintFleetRun(const commands::FleetRunReport& report, Format format, std::ostream& out);
void PrintFleetStatus(const commands::FleetStatusReport& report, Format format, std::ostream& out);
void PrintFleetDrift(const commands::FleetDriftReport& report, Format format, std::ostream& out);

// upgrade/downgrade, as each migration finishes (commands::Io::migrated), for the log:
// "upgraded   3f2a9c1b7d4e  add chunks  (2 statements, 12.5 ms)\n".
std::string MigrationLine(const commands::MigrationRun& run);

// The engine's and lint's reports (engine_output.cc). What is data goes to `out`; a note for
// the person running the command to `log`.
// inspect: the schema as a create script, or the model as JSON.
void PrintSchema(const schema::Database& database, Format format, std::ostream& out);
// diff: the upgrade SQL (with --downgrade both directions, each under a header); when the sides
// are equal, nothing on `out` and a note on `log`.
void PrintDiff(const commands::DiffReport& report, Format format, std::ostream& out,
               std::ostream& log);
// check: "migrations match ..." (and the time taken on `log`) or the SQL the migrations lack.
void PrintCheck(const commands::CheckReport& report, Format format, std::ostream& out,
                std::ostream& log);
// drift: "no drift: ..." or the SQL of the out-of-band changes under a comment saying so.
void PrintDrift(const commands::DriftReport& report, Format format, std::ostream& out);
// lint: the rule table, the probe's report, or the findings and a summary line.
void PrintLint(const commands::LintReport& report, Format format, std::ostream& out);

}  // namespace retort::cli
