// Printing command results as text (Alembic-like) or JSON (--format json).
#pragma once

#include <ostream>
#include <vector>

#include "commands/commands.h"

namespace retort::cli {

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

}  // namespace retort::cli
