import AccordHTTP
import AccordModel
import AccordNode
import AccordSegments
import AccordStore
import Foundation

/// `POST /v1/segments/preview`, `POST /v1/segments/export`, `GET /v1/segments`,
/// `PUT|DELETE /v1/segments/{name}` and `GET /v1/segments/{name}/figures`: what `accord segment`
/// does, for this node's unit. Consent is applied for the unit, channel and purpose of every
/// preview and export; filters are evaluated on the request's reader (the serving node's profile
/// service keeps the profiles current), and the audit entry is written before anything is answered.
enum SegmentRoutes {
    /// What a preview or export is about: a filter with its channel and purpose, or a saved segment.
    private struct Selection {
        var filter: String
        var channel: String
        var purpose: String
        var segment: String?
    }

    /// The members every preview and export reads.
    private static let selectionMembers: Set<String> = ["filter", "segment", "channel", "purpose"]

    /// `{"filter", "channel", "purpose"}` or `{"segment", "channel"?, "purpose"?}`; the filter is
    /// parsed for this unit (a bad one is a 400 naming the column).
    private static func selection(_ request: APIRequest, _ body: JSONFields) throws -> Selection {
        let unit = request.services.unit
        var selection: Selection
        if let name = try body.optionalString("segment") {
            guard body.value("filter") == nil else { throw JSONFields.error(body.path(of: "filter"), "give a filter or a saved segment, not both") }
            let saved = try request.read { try $0.savedSegment(name) }
            guard saved.unit == unit.rawValue else {
                throw HTTPError(.unprocessableContent, "segment \(name) is saved for unit \(saved.unit); this node's API answers for unit \(unit)")
            }
            selection = Selection(filter: saved.expression, channel: try body.optionalString("channel") ?? saved.channel,
                                  purpose: try body.optionalString("purpose") ?? saved.purpose, segment: name)
        } else {
            selection = Selection(filter: try body.string("filter"), channel: try body.string("channel"), purpose: try body.string("purpose"))
        }
        try check(request, filter: selection.filter, channel: selection.channel, purpose: selection.purpose)
        return selection
    }

    /// Parses a filter, channel and purpose for this unit: what is wrong with them is a 400 with the
    /// parser's message (`segment filter: column 9: expected ...`).
    private static func check(_ request: APIRequest, filter: String, channel: String, purpose: String) throws {
        let unit = request.services.unit
        do {
            _ = try request.reader.read { try $0.node.parseSegment(filter, unit: unit, channel: channel, purpose: purpose) }
        } catch let error as NodeError where error.code == .notAllowed {
            throw HTTPError(.badRequest, error.message, cause: error)
        }
    }

    /// Counts, exclusions by reason, cross-opt, opt-down and a sample of the audience:
    /// `"sample"` (0 to 100, default 5) profiles with their stage and, unless `"idsOnly"`, the
    /// values this unit may see. Audited as `segment.preview` (counts and a digest of the filter).
    static func preview(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        let body = try request.body()
        try body.allowOnly(selectionMembers.union(["sample", "idsOnly"]))
        let sample = Int(try body.optionalInteger("sample", in: 0...100) ?? 5)
        let idsOnly = try body.bool("idsOnly", default: false)
        let selection = try selection(request, body)
        let unit = request.services.unit
        let run = try request.read { node in
            try node.evaluateSegment(selection.filter, unit: unit, channel: selection.channel, purpose: selection.purpose, refresh: false)
        }
        let rows: [JSON] = run.outcome.audience.prefix(sample).map { row in
            let person = run.facts[Int(row)]
            var entry: [String: JSON] = ["profile": .string(person.id), "stage": stage(run, row)]
            if !idsOnly {
                entry["values"] = .object(person.values.mapValues { .array($0.map { .string($0) }) })
            }
            return .object(entry)
        }
        let operatorName = request.principal.operatorName
        try request.write { node in
            try node.audit("segment.preview", subject: selection.segment ?? Node.filterReference(run.expression),
                           detail: "unit \(unit) channel \(selection.channel) purpose \(selection.purpose): \(run.outcome.audience.count) of \(run.outcome.matched)",
                           operatorName: operatorName)
        }
        var answer = counts(run.outcome)
        answer["unit"] = .string(unit.rawValue)
        answer["channel"] = .string(selection.channel)
        answer["purpose"] = .string(selection.purpose)
        answer["filter"] = .string(run.expression.description)
        answer["segment"] = .string(selection.segment)
        answer["sample"] = .array(rows)
        return .json(.object(answer))
    }

    /// The audience as CSV or JSON lines (`"format"`, else the `Accept` header, else CSV): the
    /// profile, its stage and the attributes this unit may see (all, or `"attributes"`). The counts
    /// and the excluded by reason are in `Accord-Segment-*` response headers. Audited as
    /// `segment.export` before the rows are sent.
    static func export(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        let body = try request.body()
        try body.allowOnly(selectionMembers.union(["format", "attributes"]))
        let format = try exportFormat(request, body)
        let attributes = body.value("attributes") == nil ? nil : try body.optionalStrings("attributes")
        let selection = try selection(request, body)
        let unit = request.services.unit
        let export = try request.read { node in
            try node.segmentExport(selection.filter, unit: unit, channel: selection.channel, purpose: selection.purpose,
                                   attributes: attributes, refresh: false)
        }
        let operatorName = request.principal.operatorName
        try request.write { node in try node.auditSegmentExport(export, segment: selection.segment, operatorName: operatorName) }
        let text = format == "csv" ? export.csv() : try export.jsonLines()
        var response = HTTPResponse(status: .ok, body: Array(text.utf8))
        response.headers.set("Content-Type", format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson")
        let outcome = export.run.outcome
        response.headers.set("Accord-Segment-Matched", "\(outcome.matched)")
        response.headers.set("Accord-Segment-Audience", "\(outcome.audience.count)")
        response.headers.set("Accord-Segment-Excluded",
                             ExclusionReason.allCases.map { "\($0.rawValue)=\(outcome.excluded[$0] ?? 0)" }.joined(separator: ", "))
        response.headers.set("Accord-Segment-Cross-Opt", "\(outcome.crossOpt)")
        response.headers.set("Accord-Segment-Opt-Down", "\(outcome.optDown)")
        return response
    }

    /// `csv` or `jsonl`: the body's `"format"`, else the first of them the `Accept` header names, else `csv`.
    private static func exportFormat(_ request: APIRequest, _ body: JSONFields) throws -> String {
        if let format = try body.optionalString("format") {
            guard format == "csv" || format == "jsonl" else { throw JSONFields.error(body.path(of: "format"), "expected \"csv\" or \"jsonl\"") }
            return format
        }
        let accepted = (request.http.headers["Accept"] ?? "").split(separator: ",").map {
            $0.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespaces).lowercased()
        }
        for type in accepted {
            if type == "text/csv" { return "csv" }
            if ImportRoutes.jsonLinesTypes.contains(type) { return "jsonl" }
        }
        guard accepted.isEmpty || accepted.contains(where: { $0 == "*/*" || $0 == "text/*" }) else {
            throw HTTPError(.badRequest, "header Accept: an export is text/csv or application/x-ndjson (or give \"format\": \"csv\" or \"jsonl\")")
        }
        return "csv"
    }

    /// The saved segments, by name (their filters can quote customer values: personal data).
    static func list(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        let segments = try request.read { try $0.savedSegments() }
        return .json(["segments": .array(segments.map(json))])
    }

    /// Saves (or replaces) a segment for this unit: `{"filter", "channel", "purpose"}`; 201 when new.
    static func save(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        let body = try request.body()
        try body.allowOnly(["filter", "channel", "purpose"])
        let filter = try body.string("filter"), channel = try body.string("channel"), purpose = try body.string("purpose")
        try check(request, filter: filter, channel: channel, purpose: purpose)
        let name = request.parameters["name"]
        let unit = request.services.unit
        let operatorName = request.principal.operatorName
        let (saved, existed) = try request.write { node in
            let existed = try node.savedSegments().contains { $0.name == name }
            return (try node.saveSegment(name: name, expression: filter, unit: unit, channel: channel, purpose: purpose, operatorName: operatorName), existed)
        }
        return .json(json(saved), status: existed ? .ok : .created)
    }

    /// Deletes a saved segment and its figures.
    static func delete(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        guard request.http.body.isEmpty else { throw HTTPError(.badRequest, "a delete takes no request body") }
        let name = request.parameters["name"]
        let operatorName = request.principal.operatorName
        try request.write { node in try node.deleteSegment(name, operatorName: operatorName) }
        return .json(["segment": .string(name), "deleted": true])
    }

    /// A saved segment's recorded figures, oldest first (`?limit=`, default 50): aggregates only.
    static func figures(_ request: APIRequest) throws -> HTTPResponse {
        let query = try request.query(allowing: ["limit"])
        let limit = try query.integer("limit", default: 50, range: 1...10_000)
        let name = request.parameters["name"]
        let figures = try request.read { node in
            _ = try node.savedSegment(name)
            return try node.segmentFigures(name, limit: limit)
        }
        return .json(["segment": .string(name), "figures": .array(figures.map { figure in
            ["at": .string(Timestamp.iso(millis: figure.atMillis)), "matched": .int(figure.matched), "audience": .int(figure.audience),
             "excluded": .object(figure.excluded.mapValues { .int($0) }), "crossOpt": .int(figure.crossOpt), "optDown": .int(figure.optDown)]
        })])
    }

    private static func stage(_ run: SegmentRun, _ row: Int32) -> JSON {
        let stage = run.table.stages[Int(row)]
        return stage == SegmentTable.noStage ? .null : .string(run.table.stageNames[Int(stage)])
    }

    private static func counts(_ outcome: SegmentOutcome) -> [String: JSON] {
        ["matched": .int(outcome.matched), "audience": .int(outcome.audience.count),
         "excluded": .object(Dictionary(uniqueKeysWithValues: ExclusionReason.allCases.map { ($0.rawValue, JSON.int(outcome.excluded[$0] ?? 0)) })),
         "crossOpt": .int(outcome.crossOpt), "optDown": .int(outcome.optDown)]
    }

    private static func json(_ saved: SavedSegment) -> JSON {
        ["name": .string(saved.name), "filter": .string(saved.expression), "unit": .string(saved.unit), "channel": .string(saved.channel),
         "purpose": .string(saved.purpose), "savedAt": .string(Timestamp.iso(millis: saved.savedAtMillis)), "savedBy": .string(saved.savedBy)]
    }
}
