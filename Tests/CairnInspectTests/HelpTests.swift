import Testing

@Suite("cairn help texts", .timeLimit(.minutes(1)))
struct HelpTests {
    @Test("cairn --help lists the command groups")
    func root() async {
        let result = await cairn("--help")
        #expect(result.status == 0)
        #expect(result.output == """
            OVERVIEW: Inspect and manage a Cairn stack's stores: pipelines, runs, steps, artifacts and
            schedules.

            Commands use the stack named with --stack, else $CAIRN_STACK, else the one `cairn stack set` chose,
            else the local stack, whose folder is the one given with --store, else $CAIRN_HOME, else the
            nearest .cairn folder in the current folder or above it. Every command prints JSON with --json.

            Everyday commands:
              cairn runs list --pipeline training --since 2d
              cairn runs show RUN
              cairn runs dag RUN --format mermaid
              cairn artifact show training::train::model:3
              cairn artifact export training::train::model model.json
              cairn schedule list

            USAGE: cairn <subcommand>

            OPTIONS:
              -h, --help              Show help information.

            SUBCOMMANDS:
              init                    Create a store: .cairn in the current folder, or the folder --store or
                                      $CAIRN_HOME names.
              status                  Show the stack's stores, their schema version, what they hold and their
                                      size.
              pipeline                Work with the pipelines that have runs in the store.
              runs                    List, show, draw and delete runs.
              steps                   Work with the steps of a run.
              artifact                List, show, export, verify and prune artifacts.
              stack                   List, describe, register, choose, delete and check stacks.
              store                   Copy a stack's history into another stack's stores.
              secret                  Create, list, show, update and delete secrets; rotate their key.
              schedule                List, show and change the stack's schedules.

              See 'cairn help <subcommand>' for detailed help.

            """)
    }

    @Test("cairn runs list --help documents every filter")
    func runsList() async {
        let result = await cairn("runs", "list", "--help")
        #expect(result.output == """
            OVERVIEW: List runs, newest first.

            STEPS counts the steps that completed or were cached, out of the steps in the run's pipeline. A run
            recorded as running whose process is gone shows as abandoned; listing it changes nothing, and
            --status counts it as running until it is resumed or the next run on the stack marks it failed.

            USAGE: cairn runs list [--stack <name>] [--store <path>] [--json] [--pipeline <pipeline>] [--status <status>] [--since <time>] [--tag <tag>] [--limit <limit>] [--page <page>] [--offset <offset>]

            OPTIONS:
              --stack <name>          The stack. Default: $CAIRN_STACK, else the one `cairn stack set` chose,
                                      else local.
              --store <path>          The store folder. Default: $CAIRN_HOME, else the nearest .cairn folder
                                      here or above.
              --json                  Print JSON for scripts instead of tables.
              --pipeline <pipeline>   Only runs of this pipeline.
              --status <status>       Only runs with this status: initializing, running, completed, failed,
                                      cached, skipped, retrying, retried, stopped.
              --since <time>          Only runs started since then: a time ago (30m, 2h, 7d, 2w) or a date
                                      (2024-05-01, 2024-05-01T10:00:00Z).
              --tag <tag>             Only runs with this tag.
              --limit <limit>         How many runs to show. (default: 20)
              --page <page>           Which page of --limit runs to show, from 1.
              --offset <offset>       How many of the newest matching runs to skip (instead of --page).
              -h, --help              Show help information.


            """)
    }

    @Test("cairn artifact --help lists the artifact commands")
    func artifact() async {
        let result = await cairn("artifact", "--help")
        #expect(result.output == """
            OVERVIEW: List, show, export, verify and prune artifacts.

            An artifact is named {pipeline}::{step}::{output}; name one version as NAME:VERSION (NAME alone is
            the latest).

            USAGE: cairn artifact <subcommand>

            OPTIONS:
              -h, --help              Show help information.

            SUBCOMMANDS:
              list                    List the artifacts, with their number of versions and their latest
                                      version.
              versions                List the versions of an artifact, newest first, with the run and step
                                      that produced each.
              show                    Show an artifact version: its metadata, the step run that produced it,
                                      those that read it, and where its bytes are.
              export                  Copy an artifact version's bytes to a file, checking them against their
                                      digest.
              verify                  Rehash artifact bytes and report the versions and runs whose bytes are
                                      missing or changed.
              prune                   Remove stored artifact objects that no artifact version references.

              See 'cairn help artifact <subcommand>' for detailed help.

            """)
    }

    @Test("cairn store copy --help says what is copied and what is kept")
    func storeCopy() async {
        let result = await cairn("store", "copy", "--help")
        #expect(result.output == """
            OVERVIEW: Copy every run, with its steps, artifacts, lineage, logs and metadata, from one stack
            into another.

            Identifiers, run names, artifact version numbers and dates are kept, so that every cairn command
            answers the same on the copy; the bytes of artifacts, logs and visualizations are copied between
            the artifact stores, checked against their digests. Each run is copied whole or not at all, and
            what the destination holds already is skipped: copying again copies nothing twice, and finishes an
            interrupted copy. Runs still running are skipped until they have ended. A run name or an artifact
            version number that the destination uses for something else stops the copy, with an error that
            names it.

            USAGE: cairn store copy --from <stack> --to <stack> [--store <path>] [--json]

            OPTIONS:
              --from <stack>          The stack to copy from.
              --to <stack>            The stack to copy into; its stores are created if they do not exist yet.
              --store <path>          The local stack's folder, when --from or --to is local. Default:
                                      $CAIRN_HOME, else the nearest .cairn folder here or above.
              --json                  Print JSON for scripts instead of a summary.
              -h, --help              Show help information.


            """)
    }

    @Test("a mistyped command is a usage error with the usage")
    func mistake() async {
        let result = await cairn("runs", "lst")
        #expect(result.status == 64)
        #expect(result.error.hasPrefix("Error: "))
    }
}
