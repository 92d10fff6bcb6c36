import AccordModel
import AccordNode
import AccordSegments
import AccordStore
import Foundation

/// `accord segment preview|export|save|list|delete|record|figures`: audiences from the consolidated
/// profiles, always within effective consent for the asking unit, channel and purpose.
enum SegmentCommand {
    static func run(_ raw: [String]) throws {
        guard let sub = raw.first else { throw UsageError(message: "missing subcommand: segment preview, export, save, list, delete, record or figures") }
        let rest = Array(raw.dropFirst())
        switch sub {
        case "preview": try preview(rest)
        case "export": try export(rest)
        case "save": try save(rest)
        case "list": try list(rest)
        case "delete": try delete(rest)
        case "record": try record(rest)
        case "figures": try figures(rest)
        default: throw UsageError(message: "unknown subcommand segment \(sub)")
        }
    }

    /// The filter, unit, channel and purpose: from `--segment NAME` (a saved segment, whose values
    /// the options may not contradict) or the positional filter and the options.
    private static func request(_ arguments: Arguments, node: Node) throws -> (filter: String, unit: UnitID, channel: String, purpose: String, name: String?) {
        if let name = arguments.option("segment") {
            _ = try arguments.positionals(exactly: [])
            let saved = try node.savedSegment(name)
            let unit = try UnitID(saved.unit)
            if let given = try arguments.unit("unit"), given != unit { throw UsageError(message: "segment \(name) is saved for unit \(saved.unit)") }
            return (saved.expression, unit, arguments.option("channel") ?? saved.channel, arguments.option("purpose") ?? saved.purpose, name)
        }
        let filter = try arguments.positionals(exactly: ["filter"])[0]
        guard let channel = arguments.option("channel"), let purpose = arguments.option("purpose") else {
            throw UsageError(message: "give --channel and --purpose: every audience is within consent for one channel and purpose")
        }
        return (filter, try arguments.unit("unit") ?? node.unit, channel, purpose, nil)
    }

    private static func exclusions(_ outcome: SegmentOutcome) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: ExclusionReason.allCases.map { ($0.rawValue, outcome.excluded[$0] ?? 0) })
    }

    private static func printCounts(_ outcome: SegmentOutcome, unit: UnitID, channel: String, purpose: String, to error: Bool = false) {
        let lines = ["Matching: \(outcome.matched); audience for \(unit) on \(channel)/\(purpose): \(outcome.audience.count)"]
            + ExclusionReason.allCases.map { "  excluded, \($0.rawValue): \(outcome.excluded[$0] ?? 0)" }
            + ["  of the excluded by opt-out, still reachable on another channel (cross-opt): \(outcome.crossOpt)",
               "  in the audience with a frequency limit (opt-down): \(outcome.optDown)"]
        for line in lines { if error { Output.error(line) } else { Output.line(line) } }
    }

    private static func preview(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "unit", "channel", "purpose", "segment", "sample"], flags: ["json", "ids-only"])
        let node = try CLI.openNode(arguments)
        let request = try request(arguments, node: node)
        let sample = try arguments.integer("sample", default: 5, range: 0...100)
        let run = try node.evaluateSegment(request.filter, unit: request.unit, channel: request.channel, purpose: request.purpose)
        let idsOnly = arguments.flag("ids-only")
        let rows = run.outcome.audience.prefix(sample).map { row -> [String: Any] in
            let person = run.facts[Int(row)]
            let stage = run.table.stages[Int(row)]
            var entry: [String: Any] = ["profile": person.id, "stage": stage == SegmentTable.noStage ? NSNull() : run.table.stageNames[Int(stage)] as Any]
            if !idsOnly { entry["values"] = person.values }
            return entry
        }
        try node.audit("segment.preview", subject: request.name ?? Node.filterReference(run.expression),
                       detail: "unit \(request.unit) channel \(request.channel) purpose \(request.purpose): \(run.outcome.audience.count) of \(run.outcome.matched)")
        if arguments.flag("json") {
            try Output.json(["unit": request.unit.rawValue, "channel": request.channel, "purpose": request.purpose, "filter": run.expression.description,
                             "matched": run.outcome.matched, "audience": run.outcome.audience.count, "excluded": exclusions(run.outcome),
                             "crossOpt": run.outcome.crossOpt, "optDown": run.outcome.optDown, "sample": rows])
            return
        }
        Output.line("Filter: \(run.expression)")
        printCounts(run.outcome, unit: request.unit, channel: request.channel, purpose: request.purpose)
        if !rows.isEmpty {
            Output.line("Sample:")
            Output.table(["PROFILE", "STAGE"] + (idsOnly ? [] : ["VALUES"]), rows.map { row in
                [row["profile"] as? String ?? "", row["stage"] as? String ?? "-"] + (idsOnly ? [] : [
                    ((row["values"] as? [String: [String]]) ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.joined(separator: ";"))" }
                        .joined(separator: " "),
                ])
            })
        }
    }

    private static func export(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "unit", "channel", "purpose", "segment", "format", "out", "attributes"], flags: [])
        let format = arguments.option("format") ?? "csv"
        guard format == "csv" || format == "jsonl" else { throw UsageError(message: "--format is csv or jsonl") }
        let node = try CLI.openNode(arguments)
        let request = try request(arguments, node: node)
        let attributes = arguments.option("attributes").map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let export = try node.exportSegment(request.filter, unit: request.unit, channel: request.channel, purpose: request.purpose,
                                            attributes: attributes, segment: request.name)
        let text = format == "csv" ? export.csv() : try export.jsonLines()
        if let out = arguments.option("out") {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            Output.error("Wrote \(export.rows.count) rows to \(out)")
        } else {
            StandardStream.output.write(text)
        }
        printCounts(export.run.outcome, unit: request.unit, channel: request.channel, purpose: request.purpose, to: true)
    }

    private static func save(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "unit", "channel", "purpose"], flags: ["json"])
        let positionals = try arguments.positionals(exactly: ["name", "filter"])
        guard let channel = arguments.option("channel"), let purpose = arguments.option("purpose") else {
            throw UsageError(message: "give --channel and --purpose")
        }
        let node = try CLI.openNode(arguments)
        let saved = try node.saveSegment(name: positionals[0], expression: positionals[1], unit: try arguments.unit("unit") ?? node.unit,
                                         channel: channel, purpose: purpose)
        if arguments.flag("json") { try Output.json(json(saved)) } else { Output.line("Saved segment \(saved.name) for \(saved.unit) on \(channel)/\(purpose)") }
    }

    static func json(_ saved: SavedSegment) -> [String: Any] {
        ["name": saved.name, "filter": saved.expression, "unit": saved.unit, "channel": saved.channel, "purpose": saved.purpose,
         "savedAt": Output.isoTime(millis: UInt64(max(0, saved.savedAtMillis))), "savedBy": saved.savedBy]
    }

    private static func list(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let node = try CLI.openNode(arguments)
        let segments = try node.savedSegments()
        if arguments.flag("json") { try Output.json(segments.map(json)); return }
        if segments.isEmpty { Output.line("No saved segments (accord segment save NAME FILTER --channel C --purpose P)"); return }
        Output.table(["NAME", "UNIT", "CHANNEL", "PURPOSE", "FILTER"], segments.map { [$0.name, $0.unit, $0.channel, $0.purpose, $0.expression] })
    }

    private static func delete(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: [])
        let name = try arguments.positionals(exactly: ["name"])[0]
        try CLI.openNode(arguments).deleteSegment(name)
        Output.line("Deleted segment \(name) and its figures")
    }

    private static func record(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        let figures = try CLI.openNode(arguments).recordSegmentFigures()
        if arguments.flag("json") { try Output.json(figures.map(json)); return }
        Output.table(["SEGMENT", "MATCHED", "AUDIENCE", "OPT-OUT", "DNC", "EXPIRED", "NO CONSENT", "NO CONTACT", "CROSS-OPT", "OPT-DOWN", "MOVED"],
                     figures.map(row))
    }

    private static func figures(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["node", "limit"], flags: ["json"])
        let name = try arguments.positionals(exactly: ["name"])[0]
        let node = try CLI.openNode(arguments)
        _ = try node.savedSegment(name)
        let figures = try node.segmentFigures(name, limit: try arguments.integer("limit", default: 50, range: 1...10_000))
        if arguments.flag("json") { try Output.json(figures.map(json)); return }
        Output.table(["AT", "MATCHED", "AUDIENCE", "OPT-OUT", "DNC", "EXPIRED", "NO CONSENT", "NO CONTACT", "CROSS-OPT", "OPT-DOWN", "MOVED"],
                     figures.map { [Output.isoTime(millis: UInt64(max(0, $0.atMillis)))] + row($0).dropFirst() })
    }

    private static func row(_ figure: SegmentFigure) -> [String] {
        [figure.segment, "\(figure.matched)", "\(figure.audience)"]
            + ["opt-out", "do-not-contact", "expired-consent", "no-consent", "no-contact-point"].map { "\(figure.excluded[$0] ?? 0)" }
            + ["\(figure.crossOpt)", "\(figure.optDown)", moved(figure)]
    }

    /// The consent movements since the previous recording: `cross-opt email>sms 3, opt-down email 1`.
    private static func moved(_ figure: SegmentFigure) -> String {
        guard figure.sinceMillis != nil else { return "first recording" }
        guard !figure.moves.isEmpty else { return "none" }
        return figure.moves.map { move in
            "\(move.kind) \(move.from)" + (move.from == move.to ? "" : ">\(move.to)") + " \(move.people)"
        }.joined(separator: ", ")
    }

    static func json(_ figure: SegmentFigure) -> [String: Any] {
        ["segment": figure.segment, "at": Output.isoTime(millis: UInt64(max(0, figure.atMillis))), "matched": figure.matched,
         "audience": figure.audience, "excluded": figure.excluded, "crossOpt": figure.crossOpt, "optDown": figure.optDown,
         "since": figure.sinceMillis.map { Output.isoTime(millis: UInt64(max(0, $0))) as Any } ?? NSNull(),
         "moves": figure.moves.map { ["kind": $0.kind, "from": $0.from, "to": $0.to, "people": $0.people] as [String: Any] }]
    }
}
