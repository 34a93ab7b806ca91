// A migration file: header directives + upgrade/downgrade sections. The format is specified in
// docs/formats.md.
#pragma once

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sqltext/classify.h"
#include "sqltext/split.h"

namespace retort::migrations {

// `-- retort:batch size=N [key=COLUMN] [target=MS] [sleep=MS] [max-lag=SECONDS]` before a
// statement (and optionally `-- retort:estimate SELECT ...`): run it again and again, each time
// in its own transaction. Without `key`, :batch_size is bound to `size` until a run affects no
// rows. With `key`, retort walks the key column itself and binds :batch_start and :batch_end to
// the first and last key of each range of about `size` rows (docs/formats.md, "Batched
// statements").
struct Batch {
  long size = 0;
  long sleep_ms = 0;                      // pause between batches
  std::optional<double> max_lag_seconds;  // wait while a streaming replica lags more
  std::string estimate_sql;               // a query returning the expected total; "" for none
  int line = 0;                           // line of the `-- retort:batch` directive
  // `key=`: the column retort walks, and its table (from `key=TABLE.COLUMN`, or else the table
  // the UPDATE / DELETE writes). Names as PostgreSQL reads them: unquoted parts folded to lower
  // case. Empty column: no key, the statement finds its own rows.
  std::string key_column = "";
  sqltext::RelationName key_table = {};
  // `target=MS`: adapt the batch size so each batch takes about this long (0: keep `size`).
  // Unset: 100 ms with a key, 0 without.
  std::optional<long> target_ms = std::nullopt;

  bool keyed() const { return !key_column.empty(); }
  long EffectiveTargetMs() const { return target_ms ? *target_ms : (keyed() ? 100 : 0); }
};

// The placeholders of a batched statement: its batch size, and (with `key=`) the first and last
// key of the batch's range, both inclusive.
inline constexpr std::string_view kBatchSizeParameter = ":batch_size";
inline constexpr std::string_view kBatchStartParameter = ":batch_start";
inline constexpr std::string_view kBatchEndParameter = ":batch_end";

// What a migration file's header says, and where the file is: all that the revision graph and
// the read-only commands need. A header-only parse (ParseMigrationHeader) gives this and no
// more, so code that needs the statements cannot be handed one by mistake: it takes a Migration.
struct MigrationHeader {
  std::string id;
  std::vector<std::string> parents;  // `revises`; empty for a root, several for a merge
  std::string message;
  std::string created;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  bool transactional = true;  // false for `-- retort:transaction none`
  // `-- retort:needs-manual-conversion REASON`: a revision an importer could not convert (an
  // Alembic data migration, say). It refuses to run until a person writes its SQL and removes
  // the line; stamping past it is allowed.
  std::string needs_manual_conversion;
  int needs_manual_conversion_line = 0;
  bool has_downgrade = false;  // the file has a `-- retort:downgrade` section (it may be empty)

  std::string path;       // the file it was read from
  int revision_line = 0;  // line of `-- retort:revision`, for graph errors ("file:3: ...")
  // The file's text as read, kept in the history table when it runs. Empty for a header from
  // the header cache (header_cache.h), which keeps no text: SourceText reads it then.
  std::string source;
  std::string source_sha256;  // hex SHA-256 of `source`: a cheap first test for "unchanged"
};

// A parsed migration file: its header and its statements.
struct Migration : MigrationHeader {
  std::vector<sqltext::Statement> upgrade;
  std::vector<sqltext::Statement> downgrade;
  // Batched statements by index into `upgrade` / `downgrade` (0-based).
  std::map<size_t, Batch> upgrade_batches;
  std::map<size_t, Batch> downgrade_batches;
  // Hex SHA-256 over the transaction mode and the sqltext::Fingerprint of every upgrade and then
  // downgrade statement: reformatting or re-commenting keeps it, editing a statement changes it.
  // Empty after ParseDepth::kStatements until FillChecksum.
  std::string checksum;
};

// How much of a file's SQL to parse. (The graph needs only headers, ParseMigrationHeader:
// splitting the SQL with PostgreSQL's parser and fingerprinting it costs far more, and read-only
// commands (`current`, `heads`, `history`) and a no-op `upgrade` never need it.)
// kStatements splits the SQL (so every syntax error is found) but leaves `checksum` empty:
// fingerprinting parses each statement again and serialises its tree, which an `upgrade` needs
// only for the migrations it runs (FillChecksum).
enum class ParseDepth { kFull, kStatements };

// Every `:batch_size` in `sql` replaced by `size` (text inside literals too: the statement is
// plain text to retort).
std::string BindBatchSize(std::string_view sql, long size);
// Every `:batch_size`, `:batch_start` and `:batch_end` in `sql` replaced by `size`, `start` and
// `end` (SQL text, e.g. `'42'::bigint`), in one pass: a replacement is never read again.
std::string BindBatchRange(std::string_view sql, long size, std::string_view start,
                           std::string_view end);
// `sql` with every `:batch_size`, `:batch_start` and `:batch_end` replaced by a parameter
// reference of the same length, so that PostgreSQL's grammar accepts it and byte offsets stay
// the same.
std::string MaskBatchSize(std::string_view sql);
// sqltext::Fingerprint of a migration statement (with the batch placeholders masked), as the
// checksum and the progress of non-transactional migrations use it.
Result<std::string> StatementFingerprint(std::string_view statement);

// A revision id (also a `revises` or `depends-on` entry): 1-32 characters of [A-Za-z0-9_-], so
// it fits Alembic's alembic_version.version_num varchar(32).
bool IsValidRevisionId(std::string_view id);
// A branch label: one or more of [A-Za-z0-9_-] (so never '@', which separates label@target).
bool IsValidBranchLabel(std::string_view label);

// Parses one file's text. Every error is InvalidInput naming "path:line: ..."; a file with
// several independent errors reports all of them, one per line, in line order. Rejects: missing
// or duplicate revision, duplicate header directives, malformed ids (1-32 chars of
// [A-Za-z0-9_-]), unknown directives, header directives after `-- retort:upgrade`, a section
// marker twice, downgrade before upgrade, statements before the first section, a missing
// upgrade section, SQL syntax errors (with the line inside the file).
Result<Migration> ParseMigration(std::string_view text, const std::string& path,
                                 ParseDepth depth = ParseDepth::kFull);
// The header alone: ParseMigration's checks except those of the SQL (syntax, batches,
// fingerprints).
Result<MigrationHeader> ParseMigrationHeader(std::string_view text, const std::string& path);

// The file at `path` read and parsed; a file that cannot be read is the read's error.
Result<Migration> ReadMigration(const std::string& path, ParseDepth depth = ParseDepth::kFull);
Result<MigrationHeader> ReadMigrationHeader(const std::string& path);

// Whether a file of the versions directory named `name` is a migration: a *.sql file whose name
// does not start with '.' (editor and OS droppings).
bool IsMigrationFileName(std::string_view name);
// The migration files of `versions_dir` (IsMigrationFileName), sorted by name.
Result<std::vector<std::string>> ListMigrationFiles(const std::string& versions_dir);

// `migration.source`, or the file read again when the migration came from the header cache.
Result<std::string> SourceText(const MigrationHeader& migration);

// Sets `checksum` of a migration parsed with ParseDepth::kStatements (a no-op when it is set).
// A statement libpg_query cannot fingerprint is InvalidInput "path:line: ...".
Status FillChecksum(Migration& migration);

// Parses every *.sql file in `versions_dir` (sorted by name; names starting with '.' are
// skipped). Collects the errors of all files and returns them together (one per line), so a
// user fixes a broken directory in one pass. Duplicate ids across files are the graph's to find.
Result<std::vector<Migration>> LoadDirectory(const std::string& versions_dir,
                                             ParseDepth depth = ParseDepth::kFull);
// LoadDirectory's headers alone (ParseMigrationHeader), with its errors.
Result<std::vector<MigrationHeader>> LoadHeaders(const std::string& versions_dir);

struct NewRevision {
  std::string id;
  std::vector<std::string> parents;
  std::string message;
  std::time_t created = 0;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  bool transactional = true;
  std::string upgrade_sql;    // may be empty
  std::string downgrade_sql;  // may be empty
};

// The template `init` writes to migrations/script.sql.tmpl. Placeholders: ${revision},
// ${revises} ("none" for a root, "a, b" for a merge), ${message} (collapsed to one line),
// ${created} ("YYYY-MM-DD HH:MM:SS+00", UTC), ${branch_labels}, ${depends_on},
// ${transaction} ("none" or empty), ${upgrade}, ${downgrade}. A line holding ${branch_labels},
// ${depends_on} or ${transaction} is left out entirely when that value is empty. Unknown
// placeholders are left as they are; values are never expanded again.
std::string DefaultTemplate();
std::string RenderRevisionFile(const NewRevision& revision, std::string_view template_text);

// File name (without directory, with ".sql") from `file_template` placeholders {year} {month}
// {day} {hour} {minute} {second} {rev} {slug}, in UTC and zero-padded; {slug} is
// Slugify(message). With an empty slug, trailing '_' and '-' are dropped. Unknown placeholders are
// left as they are (config validates file_template).
std::string MakeFileName(std::string_view file_template, const std::string& revision_id,
                         const std::string& message, std::time_t created);

// A fresh random 12-hex-digit revision id.
std::string NewRevisionId();

// What differs between two versions of one migration, statement by statement (compared by
// fingerprint, so reformatting is not a change): "upgrade statement 2 (line 14) changed: was
// `...`, now `...`", "downgrade statement 3 (line 20) added: `...`", "transaction mode changed".
std::vector<std::string> DescribeChanges(const Migration& before, const Migration& after);

}  // namespace retort::migrations
