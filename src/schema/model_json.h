// The model as JSON (`retort inspect --format json`). Deterministic: keys are sorted, vectors
// keep the model's order (call Database::Sort first; Inspect returns sorted models), absent
// optional values and empty lists are left out, one-letter catalog codes become words.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "schema/model.h"

namespace retort::schema {

nlohmann::json ToJson(const Database& database);
// The same as ToJson(database).dump(2), written as it is made: a large model's JSON document
// (90 MB at 10,000 wide tables) is never a json value whole, which took five times its size.
void WriteJson(const Database& database, std::ostream& out);

}  // namespace retort::schema
