import Foundation

// accord-bench: Accord's speed and memory goals, one subcommand per benchmark.
// Each figure is printed on its own line as `name = value unit (goal ...)`.
// Run in release mode: swift run -c release accord-bench <benchmark> [options]

signal(SIGPIPE, SIG_IGN)
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "import":
        try ImportBenchmark.run(Array(arguments.dropFirst()))
    case "batches":
        try BatchBenchmark.run(Array(arguments.dropFirst()))
    case "sync":
        try SyncBenchmark.run(Array(arguments.dropFirst()))
    case "api":
        try APIBenchmark.run(Array(arguments.dropFirst()))
    case "match":
        try MatchBenchmark.run(Array(arguments.dropFirst()))
    case "profiles":
        try ProfilesBenchmark.run(Array(arguments.dropFirst()))
    case "segments":
        try SegmentBenchmark.run(Array(arguments.dropFirst()))
    case nil, "help", "--help", "-h":
        print("""
        Usage: accord-bench <benchmark> [options]

        Benchmarks:
          import [--records N] [--keep DIR]   Import N generated customers (10 attributes) from CSV into a node,
                                              and the floor: the same rows into plain SQLite (default N = 1000000)
          batches [--leaves N]                Seal, sign, encode, decode and verify batches of record writes
          sync [--records N] [--changes N]    Bootstrap a node over mutual TLS from a peer holding N records, an
                                              incremental 1% change, and change latency across 5 nodes (mesh, hub)
          api [--records N] [--duration S]    Record reads by id over HTTPS keep-alive with wrk (--connections 10,
              [--keep DIR] [--wrk PATH]       --threads 2) against a node holding N records (Benchmarks/api.sh)
          match [--persons N] [--units K]     Identity resolution of N generated persons spread over K units (default
                [--new M] [--threads T]         200000 over 5, ~380,000 records): EM training without labels, quality
                [--seed S] [--no-verify]        against the truth, whole-set time, memory, M new records one by one,
                                              and a check that they give the same profiles as resolving all at once;
                                              rule variants: --link B --review B --floor B --cap N --keys K,K
                                              --no-tf --no-guard --no-conflicts; --diagnose prints missed/wrong pairs
          profiles [--persons N] [--new M]    Persisted profiles on a node holding two units' overlapping customers
                                              (default 50000 persons, 60% each): full consolidation, then M new
                                              records each followed by one incremental step
          segments [--profiles N] [--repeat R] Segment evaluation over N consolidated profiles (default 1000000):
                                              stage, one attribute and consent, with consent applied for email and
                                              marketing; the table is built outside the timed part, median of R runs
        """)
    default:
        FileHandle.standardError.write(Data("accord-bench: unknown benchmark \(arguments[0])\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("accord-bench: \(error)\n".utf8))
    exit(1)
}
