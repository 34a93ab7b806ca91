// Readers for the text forms the catalog queries return: PostgreSQL arrays ({a,"b c"}),
// int2vector/oidvector ("1 2 3"), and node trees (pg_node_tree, the stored form of defaults,
// index expressions and CHECK constraints). Internal to the catalog module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort::catalog {

// A one-dimensional array's text output ({a,"b c",NULL}); NULL elements become nullopt.
// nullopt when `text` is not such an array.
std::optional<std::vector<std::optional<std::string>>> ParseTextArray(std::string_view text);

// Numbers separated by spaces (int2vector, oidvector: "1 2 3") or an array of numbers
// ("{1,2,3}"). Empty for "" and "{}". nullopt when a piece is not a number.
std::optional<std::vector<int64_t>> ParseNumberList(std::string_view text);

// The tree without its " :location N" fields, which only record where the expression was
// written and do not change how it prints.
std::string StripNodeLocations(std::string_view tree);
void AppendStrippedNodeTree(std::string_view tree, std::string* out);

// The distinct attribute numbers the tree's Vars read (" :varattno N"), ascending.
std::vector<int> NodeVarAttnos(std::string_view tree);

// The number of top-level elements of a List tree "({...} {...})"; 0 when not a list.
int NodeListLength(std::string_view tree);

// The value of the first " :field " in the tree (for the top node's scalar fields, which
// nodeToString writes before any sub-node), e.g. NodeField(tree, "funcresulttype").
std::optional<std::string_view> NodeField(std::string_view tree, std::string_view field);

// PostgreSQL prints extract('YEAR' from x) as EXTRACT(YEAR FROM x), the field as stored, and
// that text, run again, reads YEAR as the keyword and stores 'year': an object created from the
// printed text would neither compare nor dump equal to the original. A field that is not all
// lower case can only have been written as a string, so this quotes it again
// (EXTRACT('YEAR' FROM x)), outside string literals and quoted names: the printed text then
// re-creates exactly what the server has. Lower case fields (the usual form) stay bare.
std::string QuoteExtractFields(std::string text);

}  // namespace retort::catalog
