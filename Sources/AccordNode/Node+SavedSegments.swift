public import AccordModel
import AccordSegments
public import AccordStore
import AccordPolicy
import Foundation

/// An export of a segment's audience: a header and rows of the attributes the asking unit may see.
public struct SegmentExport: Sendable {
    /// The columns: `profile`, `stage`, then the attributes.
    public var columns: [String]
    /// One row per person in the audience; each cell the values (several for a set attribute).
    public var rows: [[[String]]]
    /// The run it came from (counts and exclusions).
    public var run: SegmentRun
    /// The asking unit, channel and purpose the audience is for.
    public var unit: String, channel: String, purpose: String

    /// CSV (RFC 4180): a header line, then one line per person; a set's values joined by `;`.
    public func csv() -> String {
        func cell(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" })
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var out = columns.map(cell).joined(separator: ",") + "\r\n"
        for row in rows { out += row.map { cell($0.joined(separator: ";")) }.joined(separator: ",") + "\r\n" }
        return out
    }

    /// JSON lines: one object per person, keys sorted; a set attribute as an array, a missing one left out.
    public func jsonLines() throws -> String {
        var out = ""
        for row in rows {
            var object: [String: Any] = [:]
            for (index, column) in columns.enumerated() where !row[index].isEmpty {
                object[column] = index < 2 || row[index].count == 1 && !isSet(column) ? row[index][0] : row[index]
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            out += String(decoding: data, as: UTF8.self) + "\n"
        }
        return out
    }

    private func isSet(_ column: String) -> Bool { sets.contains(column) }

    /// The multi-valued attributes among the columns.
    public var sets: Set<String>
}

extension Node {
    /// Saves a segment (a name and a filter, for a unit, channel and purpose) on this node; the
    /// filter is checked first. Saved segments are the node's own, not replicated.
    /// - Throws: ``NodeError`` `.notAllowed` for a bad name or filter, `.storage`.
    @discardableResult
    public func saveSegment(name: String, expression: String, unit asking: UnitID, channel: String, purpose: String,
                            operatorName: String = Node.operatorName) throws -> SavedSegment {
        let letters = name.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        guard letters, (1...63).contains(name.utf8.count), name.utf8.first.map({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }) == true else {
            throw NodeError(.notAllowed, "a segment name is a lowercase identifier such as spring-newsletter (a-z, 0-9, - and _, at most 63)")
        }
        _ = try parseSegment(expression, unit: asking, channel: channel, purpose: purpose)
        let segment = SavedSegment(name: name, expression: expression, unit: asking.rawValue, channel: channel, purpose: purpose,
                                   savedAtMillis: Int64(now()), savedBy: operatorName)
        do { try store.saveSegment(segment) } catch { throw NodeError(.storage, "cannot save the segment", cause: error) }
        try audit("segment.save", subject: name, detail: "unit \(asking) channel \(channel) purpose \(purpose)", operatorName: operatorName)
        return segment
    }

    /// The saved segments, by name.
    /// - Throws: ``NodeError`` `.storage`.
    public func savedSegments() throws -> [SavedSegment] {
        do { return try store.savedSegments() } catch { throw NodeError(.storage, "cannot read the saved segments", cause: error) }
    }

    /// One saved segment.
    /// - Throws: ``NodeError`` `.notFound`, `.storage`.
    public func savedSegment(_ name: String) throws -> SavedSegment {
        guard let found = try savedSegments().first(where: { $0.name == name }) else {
            throw NodeError(.notFound, "no saved segment \(name) (see accord segment list)")
        }
        return found
    }

    /// Removes a saved segment and its figures.
    /// - Throws: ``NodeError`` `.notFound`, `.storage`.
    public func deleteSegment(_ name: String, operatorName: String = Node.operatorName) throws {
        let existed: Bool
        do { existed = try store.deleteSegment(name) } catch { throw NodeError(.storage, "cannot delete the segment", cause: error) }
        guard existed else { throw NodeError(.notFound, "no saved segment \(name)") }
        try audit("segment.delete", subject: name, operatorName: operatorName)
    }

    /// Evaluates every saved segment and records its figures (audience size, exclusions, cross-opt,
    /// opt-down) in the store's time series, with the consent movements of the matching people since
    /// the segment's previous recording (``ConsentMovements``; none for a first recording).
    /// - Parameters:
    ///   - refresh: bring the profiles up to date first.
    ///   - dueOnly: only segments without a recording on the current UTC day (`accord serve`'s
    ///     maintenance records each segment once a day this way).
    /// - Returns: the figures recorded.
    /// - Throws: ``NodeError`` `.storage`; a segment whose filter no longer fits the policy is skipped.
    @discardableResult
    public func recordSegmentFigures(refresh: Bool = true, dueOnly: Bool = false) throws -> [SegmentFigure] {
        var figures: [SegmentFigure] = []
        let today = Int64(now()) / LifecycleEvaluator.dayMillis
        for segment in try savedSegments() {
            let previous = try segmentFigures(segment.name, limit: 1).last
            if dueOnly, let previous, previous.atMillis / LifecycleEvaluator.dayMillis >= today { continue }
            guard let unit = try? UnitID(segment.unit),
                  let run = try? evaluateSegment(segment.expression, unit: unit, channel: segment.channel, purpose: segment.purpose,
                                                 refresh: refresh && figures.isEmpty) else { continue }
            var moves: [SegmentMove] = []
            if let since = previous?.atMillis {
                let matches = SegmentEngine.compile(run.expression, table: run.table, asOf: run.asOfMillis)
                moves = ConsentMovements.count((0..<run.table.count).lazy.filter(matches).flatMap { row in
                    ConsentMovements.of(run.consentEntries[row], since: since, at: run.asOfMillis, unit: unit, purpose: segment.purpose, policy: self.policy)
                })
            }
            let figure = SegmentFigure(segment: segment.name, atMillis: run.asOfMillis, matched: run.outcome.matched,
                                       audience: run.outcome.audience.count,
                                       excluded: Dictionary(uniqueKeysWithValues: run.outcome.excluded.map { ($0.key.rawValue, $0.value) }),
                                       crossOpt: run.outcome.crossOpt, optDown: run.outcome.optDown, sinceMillis: previous?.atMillis, moves: moves)
            do { try store.appendSegmentFigure(figure) } catch { throw NodeError(.storage, "cannot record the segment figures", cause: error) }
            figures.append(figure)
        }
        return figures
    }

    /// A saved segment's figures over time, oldest first.
    /// - Throws: ``NodeError`` `.storage`.
    public func segmentFigures(_ name: String, limit: Int = 500) throws -> [SegmentFigure] {
        do { return try store.segmentFigures(name, limit: limit) } catch { throw NodeError(.storage, "cannot read the segment figures", cause: error) }
    }

    /// Exports a segment's audience: consent applied for the asking unit, channel and purpose, only
    /// attributes the unit may see (all of them, or `attributes`), and an audit entry (counts and a
    /// reference to the filter, no values).
    /// - Parameters:
    ///   - attributes: the attributes to export; `nil` for every attribute the unit may see.
    ///   - segment: the saved segment's name, for the audit log.
    /// - Throws: ``NodeError`` `.notAllowed` for a bad filter or an attribute the unit may not see, `.storage`.
    public func exportSegment(_ expression: String, unit asking: UnitID, channel: String, purpose: String, attributes: [String]? = nil,
                              segment: String? = nil, operatorName: String = Node.operatorName, refresh: Bool = true) throws -> SegmentExport {
        let export = try segmentExport(expression, unit: asking, channel: channel, purpose: purpose, attributes: attributes, refresh: refresh)
        try auditSegmentExport(export, segment: segment, operatorName: operatorName)
        return export
    }

    /// A segment's audience as ``exportSegment(_:unit:channel:purpose:attributes:segment:operatorName:refresh:)``
    /// makes it, without the audit entry: for a reader, whose caller then writes the entry with
    /// ``auditSegmentExport(_:segment:operatorName:)`` before handing the rows out.
    /// - Throws: ``NodeError`` `.notAllowed` for a bad filter or an attribute the unit may not see, `.storage`.
    public func segmentExport(_ expression: String, unit asking: UnitID, channel: String, purpose: String, attributes: [String]? = nil,
                              refresh: Bool = true) throws -> SegmentExport {
        let run = try evaluateSegment(expression, unit: asking, channel: channel, purpose: purpose, refresh: refresh)
        let columns = attributes ?? run.visibleAttributes
        for name in columns where !run.visibleAttributes.contains(name) {
            throw NodeError(.notAllowed, policy.attribute(name) == nil ? "unknown attribute \(name)"
                : "unit \(asking) may not see attribute \(name) (share class \(policy.attribute(name)!.shareClass))")
        }
        let rows = run.outcome.audience.map { row -> [[String]] in
            let person = run.facts[Int(row)]
            let stage = run.table.stages[Int(row)]
            return [[person.id], stage == SegmentTable.noStage ? [] : [run.table.stageNames[Int(stage)]]] + columns.map { person.values[$0] ?? [] }
        }
        return SegmentExport(columns: ["profile", "stage"] + columns, rows: rows, run: run, unit: asking.rawValue, channel: channel, purpose: purpose,
                             sets: Set(policy.attributes.filter(\.multiValued).map(\.name)))
    }

    /// Writes the audit entry of an export: counts, exclusions by reason, a reference to the filter
    /// and the attributes, never a value.
    /// - Parameter segment: the saved segment's name, if the export was of one.
    /// - Throws: ``NodeError`` `.storage`.
    public func auditSegmentExport(_ export: SegmentExport, segment: String? = nil, operatorName: String = Node.operatorName) throws {
        let run = export.run
        let excluded = ExclusionReason.allCases.map { "\($0.rawValue) \(run.outcome.excluded[$0] ?? 0)" }.joined(separator: ", ")
        try audit("segment.export", subject: segment ?? Self.filterReference(run.expression),
                  detail: "unit \(export.unit) channel \(export.channel) purpose \(export.purpose): \(export.rows.count) rows of \(run.outcome.matched) matching; "
                      + "excluded \(excluded); filter \(Self.filterReference(run.expression)); attributes \(export.columns.dropFirst(2).joined(separator: " "))",
                  operatorName: operatorName)
    }
}
