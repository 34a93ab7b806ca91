// Expression text as PostgreSQL prints it does not always parse back into the expression it was
// printed from; the rendered SQL must, or a database rebuilt from it differs from the original
// (a false diff on every later comparison, and a different pg_dump).
#pragma once

#include <string>
#include <string_view>

namespace retort::render {

// `statement` with the printed forms that do not survive a re-parse rewritten into text that
// parses into the original expression. String literals, quoted identifiers, dollar-quoted bodies
// and comments are left alone. Handled:
//
//   varchar_col IN ('a', 'b') is stored as an implicit cast of a varchar[] to text[] and prints
//   as   (varchar_col)::text = ANY ((ARRAY['a'::character varying, 'b'::character
//   varying])::text[]) Parsed again, the explicit ::text[] is pushed into the elements instead, so
//   it would print as ANY (ARRAY[('a'::character varying)::text, ...]). Without the ::text[], the
//   text = text operator applies the same implicit array cast as the original: it becomes
//   (varchar_col)::text = ANY (ARRAY['a'::character varying, 'b'::character varying])
//   (likewise <> ALL for NOT IN), which prints exactly as the original.
std::string Reparsable(std::string_view statement);

}  // namespace retort::render
