// The model as JSON (`retort inspect --format json`). Deterministic: keys are sorted, vectors
// keep the model's order (call Database::Sort first; Inspect returns sorted models), absent
// optional values and empty lists are left out, one-letter catalog codes become words.
#pragma once

#include <nlohmann/json.hpp>

#include "schema/model.h"

namespace retort::schema {

nlohmann::json ToJson(const Database& database);

}  // namespace retort::schema
