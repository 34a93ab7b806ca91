// Renames. A model carries nothing but names to tell objects apart, so Diff never guesses one: a
// renamed column is a dropped column (and its data) plus an added one. These functions let the
// caller do better: LikelyRenames finds the drop+add pairs of the same shape, which the author
// can confirm, and ApplyRenames turns the renames the author confirmed (`--rename`) into the
// RENAME statements and the model as it is once they ran, which the rest of the diff starts
// from (so a rename and a type change give a RENAME, then an ALTER TYPE).
#pragma once

#include <string>
#include <vector>

#include "diff/diff.h"
#include "schema/model.h"

namespace retort::diff {

// One rename within a schema: of table `table` (`column` empty), or of its column `column`.
// A column's table is named as it is once the table renames ran; its old name is accepted too.
struct RenameSpec {
  QualifiedName table;
  std::string column;
  std::string new_name;
  bool operator==(const RenameSpec&) const = default;

  // "public.items.name" or "public.items": what is renamed, for messages.
  std::string Subject() const;
  // The `--rename` value that asks for it: "public.items.name=title", "public.items=products".
  std::string Flag() const;
};

// The model after the renames, and the renames as changes.
struct Renamed {
  // `from` as it is once the renames ran: the tables, columns, indexes, constraints and
  // sequences under their new names, and the definitions that name them (index columns, keys,
  // foreign keys, partition keys, serial defaults) rewritten as PostgreSQL prints them after
  // the rename. Views, triggers, policies, rules and function bodies keep their old text: where
  // `to` differs, the diff re-creates them, which converges whatever the server made of them.
  schema::Database database;
  // In the order they run: the table renames asked for, the column renames, then the renames
  // that follow them (kFollows): an index, key, constraint or owned sequence of a renamed table
  // or column that `to` has under another name and otherwise equal (a name derived from the
  // table's or the column's, such as items_pkey, ix_items_name or items_id_seq).
  std::vector<Change> changes;
  // Specs that cannot apply, one message each: the old name must exist in `from` and not in
  // `to`, the new one in `to` and not in `from`. The caller refuses when there are any.
  std::vector<std::string> problems;
};
Renamed ApplyRenames(const schema::Database& from, const schema::Database& to,
                     const std::vector<RenameSpec>& renames);

// The spec that undoes `rename` once it ran (the downgrade's).
RenameSpec Reversed(const RenameSpec& rename);

// A column `from` drops and a column `to` adds to the same table, or a table `from` drops and
// one `to` adds to the same schema, that have the same shape: probably a rename. Columns: the
// same type, collation, NOT NULL, default (two serial defaults count as equal), generation and
// identity. Tables: the same columns (names and shapes, in order), partitioning and constraints
// (type and definition, whatever their names). Only pairs with no other candidate either way
// are returned: where several drops and adds could pair, nothing is said.
std::vector<RenameSpec> LikelyRenames(const schema::Database& from, const schema::Database& to);

}  // namespace retort::diff
