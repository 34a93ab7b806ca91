// [naming_convention]: SQLAlchemy's tokens and their values, its shortening of long names (the
// expected names below are what SQLAlchemy 1.4's PostgreSQL dialect printed for the same
// tables), following a convention, and the lint rule that checks migrations against it.
#include <gtest/gtest.h>

#include "config/naming.h"
#include "lint/lint.h"

namespace retort::config {
namespace {

NamingConvention Make(const std::map<std::string, std::string>& templates) {
  auto convention = NamingConvention::Make(templates);
  EXPECT_TRUE(convention.ok()) << convention.status().message();
  return convention.ok() ? *convention : NamingConvention();
}

const std::map<std::string, std::string> kAlembicTeam = {
    {"ix", "ix_%(column_0_label)s"},
    {"uq", "uq_%(table_name)s_%(column_0_N_name)s"},
    {"ck", "ck_%(table_name)s_%(constraint_name)s"},
    {"fk", "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"},
    {"pk", "pk_%(table_name)s"}};

TEST(NamingConvention, FillsSqlAlchemysTokens) {
  NamingConvention convention = Make(kAlembicTeam);
  EXPECT_EQ(convention.Name(NamedKind::kPrimaryKey, {"documents", {"id"}, "", {}, ""}),
            "pk_documents");
  EXPECT_EQ(convention.Name(NamedKind::kIndex, {"documents", {"url"}, "", {}, ""}),
            "ix_documents_url");
  EXPECT_EQ(convention.Name(NamedKind::kUnique, {"documents", {"url", "owner"}, "", {}, ""}),
            "uq_documents_url_owner");
  EXPECT_EQ(
      convention.Name(NamedKind::kForeignKey, {"chunks", {"document_id"}, "documents", {"id"}, ""}),
      "fk_chunks_document_id_documents");
  // {constraint_name} needs a name: SQLAlchemy refuses an unnamed one too.
  EXPECT_EQ(convention.Name(NamedKind::kCheck, {"t", {"n"}, "", {}, ""}), std::nullopt);
  EXPECT_EQ(convention.Name(NamedKind::kCheck, {"t", {"n"}, "", {}, "positive"}), "ck_t_positive");
  // The brace spelling, joined columns, referred columns, and a column the key lacks ("").
  NamingConvention braces = Make({{"uq", "uq_{table}_{column_0N_name}"},
                                  {"fk", "fk_{table}_{referred_column_0_name}"},
                                  {"ix", "ix_{table}_{column_1_name}"}});
  EXPECT_EQ(braces.Name(NamedKind::kUnique, {"t", {"a", "b"}, "", {}, ""}), "uq_t_ab");
  EXPECT_EQ(braces.Name(NamedKind::kForeignKey, {"t", {"x"}, "u", {"id"}, ""}), "fk_t_id");
  EXPECT_EQ(braces.Name(NamedKind::kIndex, {"t", {"a"}, "", {}, ""}), "ix_t_");
  EXPECT_EQ(braces.Name(NamedKind::kPrimaryKey, {"t", {"a"}, "", {}, ""}), std::nullopt);
}

TEST(NamingConvention, ShortensLongNamesAsSqlAlchemyDoes) {
  NamingConvention convention = Make(kAlembicTeam);
  const std::string table = "a_table_with_a_rather_long_name_for_documents";
  EXPECT_EQ(
      convention.Name(
          NamedKind::kUnique,
          {table, {"an_equally_long_column_name_for_urls", "second_long_column"}, "", {}, ""}),
      "uq_a_table_with_a_rather_long_name_for_documents_an_equ_df07");
  EXPECT_EQ(convention.Name(NamedKind::kIndex,
                            {table, {"an_equally_long_column_name_for_urls"}, "", {}, ""}),
            "ix_a_table_with_a_rather_long_name_for_documents_an_equ_401d");
  EXPECT_EQ(ShortenLikeSqlAlchemy(std::string(63, 'a')), std::string(63, 'a'));
  EXPECT_EQ(ShortenLikeSqlAlchemy(std::string(64, 'a')).size(), 60u);
}

TEST(NamingConvention, FollowsAcceptsTheConventionsNamesOnly) {
  NamingConvention convention = Make(kAlembicTeam);
  NamingSubject documents{"documents", {"url"}, "", {}, ""};
  EXPECT_TRUE(convention.Follows(NamedKind::kIndex, documents, "ix_documents_url"));
  EXPECT_FALSE(convention.Follows(NamedKind::kIndex, documents, "documents_url_idx"));
  EXPECT_TRUE(convention.Follows(NamedKind::kCheck, documents, "ck_documents_positive"));
  EXPECT_FALSE(convention.Follows(NamedKind::kCheck, documents, "ck_documents_"));
  EXPECT_FALSE(convention.Follows(NamedKind::kCheck, documents, "documents_url_check"));
  // No template for the kind: anything goes.
  EXPECT_TRUE(Make({{"pk", "pk_{table}"}}).Follows(NamedKind::kIndex, documents, "whatever"));
}

TEST(NamingConvention, UnknownKeysAndTokensAreRefused) {
  auto key = NamingConvention::Make({{"idx", "ix_{table}"}});
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.status().message().find("unknown key 'idx'"), std::string::npos);
  auto token = NamingConvention::Make({{"ix", "ix_%(tabel_name)s"}});
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.status().message().find("unknown token %(tabel_name)s"), std::string::npos)
      << token.status().message();
  auto open = NamingConvention::Make({{"ix", "ix_%(table_name"}});
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("without its closing )s"), std::string::npos);
}

std::vector<lint::Finding> LintWithConvention(const std::string& sql) {
  lint::Options options;
  options.naming = Make(kAlembicTeam);
  auto findings = lint::LintSql(sql, "m.sql", 1, true, options);
  EXPECT_TRUE(findings.ok()) << findings.status().message();
  std::vector<lint::Finding> naming;
  for (const lint::Finding& finding : findings.ok() ? *findings : std::vector<lint::Finding>{}) {
    if (finding.rule == "naming-convention") naming.push_back(finding);
  }
  return naming;
}

TEST(NamingConventionLint, NamesAgainstTheConventionAndUnnamedOnesAreFindings) {
  auto findings = LintWithConvention(
      "CREATE TABLE documents (id bigint CONSTRAINT documents_pkey PRIMARY KEY, url text "
      "UNIQUE, owner bigint CONSTRAINT fk_documents_owner_users REFERENCES users (id));\n"
      "CREATE INDEX documents_url_idx ON documents (url);\n"
      "ALTER TABLE documents ADD CONSTRAINT ck_documents_positive CHECK (id > 0);\n");
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_NE(findings[0].message.find("documents_pkey"), std::string::npos);
  EXPECT_NE(findings[0].fix.find("pk_documents"), std::string::npos);
  EXPECT_NE(findings[1].message.find("has no name"), std::string::npos);
  EXPECT_NE(findings[1].fix.find("uq_documents_url"), std::string::npos);
  EXPECT_NE(findings[2].message.find("documents_url_idx"), std::string::npos);
  EXPECT_EQ(findings[2].line, 2);
  EXPECT_TRUE(LintWithConvention("CREATE TABLE t (id int CONSTRAINT pk_t PRIMARY KEY);\n"
                                 "CREATE INDEX ix_t_id ON t (id);\n")
                  .empty());
  // Without a convention the rule says nothing.
  auto plain = lint::LintSql("CREATE INDEX whatever ON t (id);\n", "m.sql", 1, true, {});
  ASSERT_TRUE(plain.ok());
  for (const lint::Finding& finding : *plain) EXPECT_NE(finding.rule, "naming-convention");
}

}  // namespace
}  // namespace retort::config
