#include "render/render.h"

#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "base/strings.h"
#include "diff/diff.h"
#include "plan/plan.h"
#include "render/reparse.h"
#include "render/sql.h"

namespace retort::render {

namespace {

// Whether a statement after an ADD VALUE uses the new value: it quotes the label (a default,
// a check, a view, an index predicate) or converts a column to the enum.
bool UsesAddedValue(const diff::AddEnumValue& added, const plan::Step& step,
                    const std::vector<std::string>& statements) {
  if (const auto* other = std::get_if<diff::AddEnumValue>(&step.change)) {
    // Naming the new value as a neighbour is allowed before the commit.
    if (other->type == added.type) return false;
  }
  if (const auto* alter = std::get_if<diff::AlterColumnType>(&step.change)) {
    if (diff::TypeNames(alter->to.type, added.type, nullptr)) return true;
  }
  std::string literal = QuoteLiteral(added.value);
  for (const std::string& statement : statements) {
    if (statement.find(literal) != std::string::npos) return true;
  }
  return false;
}

// A freshly created PostgreSQL 15 database, as far as the model sees it: the public schema
// (with its standard comment) and plpgsql, where `database` has them too.
schema::Database FreshDatabase(const schema::Database& database) {
  schema::Database fresh;
  fresh.server_version = database.server_version;
  for (const schema::Schema& schema : database.schemas) {
    if (schema.name == "public") {
      fresh.schemas.push_back(
          {"public", "standard public schema", {schema::Grant{"PUBLIC", "USAGE", false}}});
    }
  }
  for (const schema::Extension& extension : database.extensions) {
    if (extension.name == "plpgsql") fresh.extensions.push_back(extension);
  }
  return fresh;
}

// A note goes in a line comment: a line break in a name must not end the comment.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

// `text` as `-- ` lines of at most about 96 characters, broken at spaces.
std::string CommentLines(const std::string& text) {
  constexpr size_t kWidth = 96;
  std::string lines;
  std::string line;
  for (const std::string& word : Split(OneLine(text), ' ')) {
    if (word.empty()) continue;
    if (!line.empty() && line.size() + 1 + word.size() > kWidth) {
      lines += "-- " + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines += "-- " + line + "\n";
  return lines;
}

// Puts the user's USING expressions on the type changes they name, and lists the other type
// changes and the extension updates for the server checks. A USING expression that names no
// type change of the plan is reported in `unused`: a typo must not pass unseen.
void ApplyUsing(plan::Plan& plan, const std::map<std::string, std::string>& using_exprs,
                std::vector<TypeConversion>& conversions, std::vector<ExtensionUpdate>& updates,
                std::vector<std::string>& unused) {
  std::set<std::string> used;
  for (plan::Step& step : plan.steps) {
    if (auto* alter = std::get_if<diff::AlterColumnType>(&step.change)) {
      std::string identity = schema::ObjectId::ForColumn(alter->table, alter->to.name).identity;
      std::string plain = alter->table.schema + "." + alter->table.name + "." + alter->to.name;
      auto given = using_exprs.find(identity);
      if (given == using_exprs.end()) given = using_exprs.find(plain);
      if (given != using_exprs.end()) {
        alter->using_expr = given->second;
        used.insert(given->first);
      } else if (!alter->using_expr && alter->from.type != alter->to.type &&
                 !alter->to.generated_expr()) {
        conversions.push_back({identity, alter->from.type, alter->to.type});
      }
    }
    if (const auto* alter = std::get_if<diff::AlterExtension>(&step.change)) {
      if (alter->from.version != alter->to.version) {
        updates.push_back({alter->to.name, alter->from.version, alter->to.version});
      }
    }
  }
  for (const auto& [column, expression] : using_exprs) {
    if (!used.count(column)) {
      unused.push_back("a USING expression is given for column " + column +
                       ", whose type this migration does not change");
    }
  }
}

// diff::Unsupported of what the plan diffs: `from` once the renames ran, after the renames
// that cannot apply.
std::vector<std::string> UnsupportedAfterRenames(const schema::Database& from,
                                                 const schema::Database& to,
                                                 const std::vector<diff::RenameSpec>& renames) {
  if (renames.empty()) return diff::Unsupported(from, to);
  diff::Renamed renamed = diff::ApplyRenames(from, to, renames);
  std::vector<std::string> problems = std::move(renamed.problems);
  for (std::string& problem : diff::Unsupported(renamed.database, to)) {
    problems.push_back(std::move(problem));
  }
  return problems;
}

// The statements of a step that a hazard is about, as lint finds it in each: a type swap converts
// every column using the type in an ALTER COLUMN ... TYPE of its own, a generated column is
// dropped and added in two statements. Other hazards are about the step's first statement.
std::vector<const std::string*> HazardStatements(const plan::Hazard& hazard,
                                                 const std::vector<std::string>& statements) {
  std::vector<const std::string*> about;
  auto each = [&](auto&& matches) {
    for (const std::string& statement : statements) {
      if (matches(statement)) about.push_back(&statement);
    }
  };
  switch (hazard.rule) {
    case plan::RuleId::kChangingColumnType:
      each([](const std::string& statement) {
        return StartsWith(statement, "ALTER TABLE ") &&
               statement.find(" ALTER COLUMN ") != std::string::npos &&
               statement.find(" TYPE ") != std::string::npos;
      });
      break;
    case plan::RuleId::kAddingGeneratedColumn:
      each([](const std::string& statement) {
        return StartsWith(statement, "ALTER TABLE ") &&
               statement.find(" ADD COLUMN ") != std::string::npos;
      });
      break;
    default:
      break;
  }
  if (about.empty() && !statements.empty()) about.push_back(&statements.front());
  return about;
}

// "lint-ignore adding-unique-index, require-concurrent-index-creation": the hazards a step kept
// on purpose, by the names lint reads back.
std::string LintIgnoreDirective(const plan::Step& step) {
  std::vector<std::string> names;
  for (plan::RuleId rule : step.lint_ignore()) names.push_back(plan::RuleName(rule));
  return "lint-ignore " + Join(names, ", ");
}

// A step's statements as they are written, each reparsable on its own.
std::vector<std::string> RenderedStatements(const plan::Step& step) {
  std::vector<std::string> statements = Statements(step.change);
  for (std::string& statement : statements) statement = Reparsable(statement);
  return statements;
}

}  // namespace

Script RenderPlan(const plan::Plan& plan) {
  Script script;
  bool creates_functions = false;
  for (const plan::Step& step : plan.steps) {
    if (std::holds_alternative<diff::CreateFunction>(step.change)) creates_functions = true;
  }
  // Blocks (a statement, with its destructive note) separated by blank lines. Each step is
  // rendered as it is written: a 10,000-table create script's 660,000 statements held apart
  // before being joined cost a fifth of its peak memory.
  std::string& sql = script.sql;
  auto start_block = [&sql] {
    if (!sql.empty()) sql.push_back('\n');
  };
  if (creates_functions) {
    start_block();
    sql += "SET check_function_bodies = off;\n";
  }
  // PostgreSQL 15 refuses a new enum value before its ALTER TYPE ... ADD VALUE commits.
  std::vector<const diff::AddEnumValue*> added_values;
  for (const plan::Step& step : plan.steps) {
    std::vector<std::string> rendered = RenderedStatements(step);
    for (const diff::AddEnumValue* added : added_values) {
      if (UsesAddedValue(*added, step, rendered)) script.needs_no_transaction = true;
    }
    if (const auto* added = std::get_if<diff::AddEnumValue>(&step.change)) {
      added_values.push_back(added);
    }
    if (!step.transactional || step.commits_apart) script.needs_no_transaction = true;
    if (step.destructive) ++script.destructive_steps;
    if (!step.note().empty()) script.notes.push_back(step.note());
    for (const plan::Hazard& hazard : plan::ReportedHazards(step)) {
      for (const std::string* statement : HazardStatements(hazard, rendered)) {
        script.hazards.push_back({*statement, hazard});
      }
    }
    for (size_t k = 0; k < rendered.size(); ++k) {
      start_block();
      if (k == 0 && step.destructive) {
        sql += "-- DESTRUCTIVE: ";
        sql += OneLine(step.destructive_note());
        sql.push_back('\n');
      }
      if (k == 0) {
        for (const std::string& comment : step.comments()) sql += CommentLines(comment);
      }
      if (step.directives_on_every_alter_table ? StartsWith(rendered[k], "ALTER TABLE ") : k == 0) {
        for (const std::string& directive : step.directives()) {
          sql += "-- retort:" + OneLine(directive) + "\n";
        }
        if (!step.lint_ignore().empty()) sql += "-- retort:" + LintIgnoreDirective(step) + "\n";
      }
      sql += rendered[k];
      sql += ";\n";
    }
  }
  return script;
}

namespace {

// The plan options of one direction: the downgrade undoes the renames last to first (columns
// before the tables they are in), and only the upgrade's rename hints are notes.
plan::Options PlanOptions(const RenderOptions& options, Direction direction) {
  plan::Options plan_options{.online = options.online};
  bool up = direction == Direction::kUpgrade;
  if (up) {
    plan_options.renames = options.renames;
  } else {
    for (auto it = options.renames.rbegin(); it != options.renames.rend(); ++it) {
      plan_options.renames.push_back(diff::Reversed(*it));
    }
  }
  for (const diff::RenameSpec& hint : options.rename_hints) {
    plan_options.rename_hints.push_back({up ? hint : diff::Reversed(hint), hint.Flag(), up});
  }
  return plan_options;
}

}  // namespace

std::optional<plan::Dependencies> BuildDependencies(const schema::Database& from,
                                                    const schema::Database& to,
                                                    const RenderOptions& options,
                                                    Direction direction, std::stop_token stop) {
  bool up = direction == Direction::kUpgrade;
  return plan::BuildDependencies(up ? from : to, up ? to : from, PlanOptions(options, direction),
                                 std::move(stop));
}

DirectionSql RenderDirection(const schema::Database& from, const schema::Database& to,
                             const RenderOptions& options, Direction direction,
                             const plan::DependencySource& dependencies) {
  bool up = direction == Direction::kUpgrade;
  const schema::Database& source = up ? from : to;
  const schema::Database& target = up ? to : from;
  plan::Options plan_options = PlanOptions(options, direction);
  plan::Plan plan = plan::Build(source, target, plan_options, dependencies);
  DirectionSql out;
  std::vector<std::string> unused;
  ApplyUsing(plan, up ? options.upgrade_using : options.downgrade_using, out.conversions,
             out.extension_updates, unused);
  Script script = RenderPlan(plan);
  out.sql = std::move(script.sql);
  out.needs_no_transaction = script.needs_no_transaction;
  out.destructive_changes = script.destructive_steps;
  out.notes = std::move(script.notes);
  out.hazards = std::move(script.hazards);
  out.unsupported = UnsupportedAfterRenames(source, target, plan_options.renames);
  for (std::string& problem : unused) out.unsupported.push_back(std::move(problem));
  return out;
}

MigrationSql JoinDirections(DirectionSql upgrade, DirectionSql downgrade) {
  MigrationSql sql;
  sql.upgrade = std::move(upgrade.sql);
  sql.downgrade = std::move(downgrade.sql);
  sql.upgrade_needs_no_transaction = upgrade.needs_no_transaction;
  sql.downgrade_needs_no_transaction = downgrade.needs_no_transaction;
  sql.destructive_changes = upgrade.destructive_changes;
  sql.upgrade_unsupported = std::move(upgrade.unsupported);
  sql.downgrade_unsupported = std::move(downgrade.unsupported);
  sql.upgrade_conversions = std::move(upgrade.conversions);
  sql.downgrade_conversions = std::move(downgrade.conversions);
  sql.upgrade_extension_updates = std::move(upgrade.extension_updates);
  sql.downgrade_extension_updates = std::move(downgrade.extension_updates);
  sql.notes = std::move(upgrade.notes);
  for (const std::string& note : downgrade.notes) sql.notes.push_back("downgrade: " + note);
  sql.upgrade_hazards = std::move(upgrade.hazards);
  return sql;
}

MigrationSql RenderMigration(const schema::Database& from, const schema::Database& to,
                             const RenderOptions& options) {
  DirectionSql upgrade = RenderDirection(from, to, options, Direction::kUpgrade);
  DirectionSql downgrade = options.downgrade
                               ? RenderDirection(from, to, options, Direction::kDowngrade)
                               : DirectionSql{};
  return JoinDirections(std::move(upgrade), std::move(downgrade));
}

std::optional<plan::Dependencies> CreateScriptDependencies(const schema::Database& database,
                                                           std::stop_token stop) {
  return plan::BuildDependencies(FreshDatabase(database), database, {}, std::move(stop));
}

std::string RenderCreateScript(const schema::Database& database,
                               const plan::DependencySource& dependencies) {
  std::string script =
      RenderPlan(plan::Build(FreshDatabase(database), database, {}, dependencies)).sql;
  if (database.unmodelled.empty()) return script;
  // Read but not rendered: said, so that nobody takes the script for the whole database.
  script +=
      "\n-- Not rendered: objects and settings retort does not model yet (a difference in "
      "them\n-- is reported by name and cannot be planned):\n";
  for (const schema::UnmodelledObject& object : database.unmodelled) {
    std::string definition = object.definition;
    for (char& c : definition) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    script += "--   " + object.kind + " " + object.identity + ": " + definition + "\n";
  }
  return script;
}

std::string MigrationSql::FirstDifference() const {
  if (!upgrade_unsupported.empty()) return upgrade_unsupported.front();
  if (!downgrade_unsupported.empty()) return downgrade_unsupported.front();
  const std::string& sql = upgrade.empty() ? downgrade : upgrade;
  return sql.substr(0, sql.find('\n'));
}

}  // namespace retort::render
