// The rule catalogue itself is plan/hazards.cc (the vocabulary the plan and lint share); this is
// how lint shows a rule.
#include "lint/lint.h"

namespace retort::lint {

nlohmann::json RuleToJson(const Rule& rule) {
  return {{"code", rule.code},
          {"rule", rule.name},
          {"category", CategoryName(rule.category)},
          {"severity", SeverityName(rule.severity)},
          {"graded_by_table_size", rule.graded},
          {"summary", rule.summary}};
}

}  // namespace retort::lint
