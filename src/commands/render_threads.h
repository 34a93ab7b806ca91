// The engine's rendering (render/, plan/), whose functions run on their caller's thread alone,
// with its independent pieces run side by side: the commands decide where threads pay, here for
// one rendering at a time on a machine with cores to spare. cli prints `inspect`'s create script
// through CreateScriptOnThreads.
#pragma once

#include <string>

#include "render/render.h"
#include "schema/model.h"

namespace retort::commands {

// render::RenderMigration's result. Threads: the caller's plans and renders the upgrade, a
// second thread the downgrade (when options.downgrade), and each direction's plan dependencies
// (render::BuildDependencies) are built on a thread of their own while its diff runs, stopped
// when the diff finds nothing. Every thread only reads the models and options, and all are
// joined before this returns.
render::MigrationSql RenderOnThreads(const schema::Database& from, const schema::Database& to,
                                     const render::RenderOptions& options = {});

// render::RenderCreateScript's result. Threads: the caller's renders; the plan's dependencies
// (render::CreateScriptDependencies) are built on a second thread while the diff runs, joined
// before this returns.
std::string CreateScriptOnThreads(const schema::Database& database);

}  // namespace retort::commands
