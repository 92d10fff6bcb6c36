import AccordModel
import AccordNode
import AccordStore
import Foundation

/// A saved segment with its recorded figures, as the dashboard's segments page shows it. The
/// filter is given by reference only (it may quote customer values).
struct SegmentOverview: Sendable {
    /// The saved segment.
    var segment: SavedSegment
    /// `sha256:...` of the parsed filter, or `nil` when it no longer fits the policy.
    var filterReference: String?
    /// Its figures, oldest first.
    var figures: [SegmentFigure]

    /// Every saved segment of the node with its latest recordings.
    static func load(_ node: Node, recordings: Int = 90) throws -> [SegmentOverview] {
        try node.savedSegments().map { segment in
            let reference = (try? UnitID(segment.unit)).flatMap { unit in
                (try? node.parseSegment(segment.expression, unit: unit, channel: segment.channel, purpose: segment.purpose)).map(Node.filterReference)
            }
            return SegmentOverview(segment: segment, filterReference: reference, figures: try node.segmentFigures(segment.name, limit: recordings))
        }
    }
}

/// The dashboard's segments page: per saved segment, its audience over time, the exclusions by
/// reason and the consent movements between recordings (cross-opt and opt-down). Figures only.
enum DashboardSegments {
    private typealias F = DashboardFormat

    /// How a movement kind reads on the page.
    static let kindTitles = ["cross-opt-reachable": "Cross-opt, still reachable", "cross-opt-opted-in": "Cross-opt, opted in elsewhere",
                             "opt-down": "Opt-down"]

    /// The page body.
    static func page(_ segments: [SegmentOverview]) -> String {
        var html = HTML()
        html.element("h1", "Segments")
        html.element("p", "Per saved segment: the audience at each recording (accord serve records every saved segment once a day; "
                     + "accord segment record records now), the matching people left out by reason, and how consent moved between two "
                     + "recordings: cross-opt (opted out of one channel, still reachable or newly opted in on another channel for the "
                     + "segment's purpose) and opt-down (a frequency limit instead of an opt-out). Figures only; filters by reference "
                     + "(accord segment list shows them).", class: "muted")
        if segments.isEmpty {
            html.element("p", "No saved segment on this node (accord segment save NAME --filter ...).", class: "notice")
            return html.text
        }
        for overview in segments { html.raw(panel(overview)) }
        return html.text
    }

    private static func panel(_ overview: SegmentOverview) -> String {
        let segment = overview.segment
        var html = HTML()
        html.raw("<div class=\"panel\">")
        html.element("h2", "Segment \(segment.name)")
        html.element("p", "Unit \(segment.unit) · channel \(segment.channel) · purpose \(segment.purpose) · filter "
                     + (overview.filterReference ?? "no longer valid under the policy (not recorded)")
                     + " · saved \(F.time(segment.savedAtMillis)) by \(segment.savedBy)", class: "muted")
        guard let latest = overview.figures.last else {
            html.element("p", "No recording yet.", class: "muted")
            html.raw("</div>")
            return html.text
        }
        let excluded = latest.excluded.values.reduce(0, +)
        let moves = latest.moves
        let crossOpt = moves.filter { $0.kind != "opt-down" }.map(\.people).reduce(0, +)
        let optDown = moves.filter { $0.kind == "opt-down" }.map(\.people).reduce(0, +)
        html.raw(DashboardPanels.tiles([
            (F.count(latest.audience), "audience", false),
            (F.count(latest.matched), "matching the filter", false),
            (F.count(excluded), "left out by consent or reach", false),
            (F.count(crossOpt), "cross-opt movements since the previous recording", false),
            (F.count(optDown), "opt-down movements since the previous recording", false),
            (F.count(overview.figures.count), "recordings, latest \(F.time(latest.atMillis))", false),
        ]))
        html.raw("<div class=\"two\"><div>")
        html.element("h2", "Audience over time")
        html.raw(SVGChart.line(overview.figures.map { (label: String(F.time($0.atMillis).prefix(10)), value: $0.audience) }))
        html.raw("</div><div>")
        html.element("h2", "Exclusions by reason")
        html.raw(SVGChart.bars(Store.exclusionReasons.map { reason in
            let count = latest.excluded[reason] ?? 0
            return (label: reason, value: Double(count), text: "\(F.count(count)) (\(F.percent(count, latest.matched)))", bad: false)
        }, maximum: Double(max(latest.matched, 1))))
        html.raw("</div></div>")
        html.element("h2", "Consent movements between recordings")
        let recent = overview.figures.suffix(10).reversed()
        html.table(["Recorded", "Since", "Audience", "Change", "Cross-opt, still reachable", "Cross-opt, opted in elsewhere", "Opt-down", "Channels"],
                   recent.map { figure in
                       let previous = overview.figures.last { $0.atMillis < figure.atMillis }
                       let change = previous.map { figure.audience - $0.audience }
                       func people(_ kind: String) -> String { F.count(figure.moves.filter { $0.kind == kind }.map(\.people).reduce(0, +)) }
                       let channels = figure.moves.map { "\(kindTitles[$0.kind] ?? $0.kind): \($0.from)" + ($0.from == $0.to ? "" : " → \($0.to)") + " \($0.people)" }
                       return [(F.time(figure.atMillis), nil), (figure.sinceMillis.map(F.time) ?? "first recording", nil), (F.count(figure.audience), "num"),
                               (change.map { $0 > 0 ? "+\(F.count($0))" : F.count($0) } ?? "–", (change ?? 0) < 0 ? "num bad" : "num"),
                               (figure.sinceMillis == nil ? "–" : people("cross-opt-reachable"), "num"),
                               (figure.sinceMillis == nil ? "–" : people("cross-opt-opted-in"), "num"),
                               (figure.sinceMillis == nil ? "–" : people("opt-down"), "num"),
                               (channels.isEmpty ? "–" : channels.joined(separator: "; "), nil)]
                   }, empty: "")
        html.raw("</div>")
        return html.text
    }
}
