/// Writing a spread as files: one CSV per unit and the ground truth.
extension SampleSpread {
    /// The ground-truth file's header: the record's unit and local id, and the person it describes.
    public static let truthHeader = ["unit", "id", "person"]

    /// Writes `<unit>.csv` for every unit (header ``SamplePopulation/csvHeader``, as
    /// ``SamplePopulation/writeCSV(unit:coverage:noise:to:limit:)``) and `truth.csv` (header
    /// ``truthHeader``: every record's unit, local id and person index) into `directory`, which must exist.
    /// - Returns: the number of records written per unit.
    /// - Throws: ``SampleDataError`` `.cannotWrite`.
    @discardableResult
    public func write(to directory: String) throws -> [String: Int] {
        let truth = try SampleCSVWriter(path: directory + "/truth.csv")
        truth.row(Self.truthHeader)
        var counts: [String: Int] = [:]
        for unit in units {
            let writer = try SampleCSVWriter(path: directory + "/" + unit.name + ".csv")
            writer.row(SamplePopulation.csvHeader)
            var rows = 0
            for record in records(of: unit) {
                writer.row(CollectionOfOne(record.localId) + record.values)
                truth.row([unit.name, record.localId, String(record.personId)])
                rows += 1
                try writer.flushIfFull()
                try truth.flushIfFull()
            }
            try writer.close()
            counts[unit.name] = rows
        }
        try truth.close()
        return counts
    }
}
