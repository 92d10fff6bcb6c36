import AccordImport
import Foundation
import Testing

@Suite struct CSVReaderTests {
    func rows(_ text: String) throws -> (header: [String], rows: [SourceRow]) {
        let reader = try CSVReader(bytes: Array(text.utf8))
        var rows: [SourceRow] = []
        while let row = try reader.next() { rows.append(row) }
        return (reader.header, rows)
    }

    @Test func simpleRowsWithLineNumbers() throws {
        let (header, rows) = try rows("id,name\n1,Anna\n2,Ben\n")
        #expect(header == ["id", "name"])
        #expect(rows.map(\.fields) == [["1", "Anna"], ["2", "Ben"]])
        #expect(rows.map(\.line) == [2, 3])
    }

    @Test func quotedCommasAndEscapedQuotes() throws {
        let (_, rows) = try rows("id,street\n1,\"Hauptstraße 1, Hinterhaus\"\n2,\"Der \"\"Alte\"\" Weg\"\n3,\"\"\n")
        #expect(rows.map(\.fields) == [["1", "Hauptstraße 1, Hinterhaus"], ["2", "Der \"Alte\" Weg"], ["3", ""]])
    }

    @Test func crlfAndMissingTrailingNewline() throws {
        let (header, rows) = try rows("id,a\r\n1,x\r\n2,y")
        #expect(header == ["id", "a"])
        #expect(rows.map(\.fields) == [["1", "x"], ["2", "y"]])
        #expect(rows.map(\.line) == [2, 3])
    }

    @Test func embeddedNewlineKeepsPhysicalLineNumbers() throws {
        let (_, rows) = try rows("id,street\n1,\"line one\nline two\r\nline three\"\n2,b\n\n3,c\n")
        #expect(rows[0].fields[1] == "line one\nline two\r\nline three")
        #expect(rows.map(\.line) == [2, 5, 7])
    }

    @Test func byteOrderMarkIsStripped() throws {
        let (header, rows) = try rows("\u{FEFF}id,name\n1,Zoë\n")
        #expect(header == ["id", "name"])
        #expect(rows[0].fields == ["1", "Zoë"])
    }

    @Test func trailingEmptyFieldsAndFieldCountMismatch() throws {
        let (_, rows) = try rows("id,a,b\n1,,\n2,x\n3,x,y,z\n")
        #expect(rows.map(\.fields.count) == [3, 2, 4])
        #expect(rows[0].fields == ["1", "", ""])
    }

    @Test func unterminatedQuoteAtEOFNamesTheLine() throws {
        let reader = try CSVReader(bytes: Array("id,a\n1,x\n2,\"open\nstill open\n".utf8))
        _ = try reader.next()
        do {
            _ = try reader.next()
            Issue.record("expected an error")
        } catch let error as ImportError {
            #expect(error.code == .malformedLine)
            #expect(error.inputLine == 3)
            #expect(error.description.contains("line 3"))
        }
    }

    @Test func textAfterClosingQuoteFlagsRow() throws {
        let (_, rows) = try rows("id,a\n1,\"x\"y\n2,z\n")
        #expect(rows[0].malformed != nil)
        #expect(rows[1].malformed == nil)
        #expect(rows[1].fields == ["2", "z"])
    }

    @Test func emptyFileAndDuplicateHeader() throws {
        #expect(throws: ImportError(.malformedHeader, "")) { try CSVReader(bytes: []) }
        #expect(throws: ImportError(.malformedHeader, "")) { try CSVReader(bytes: Array("id,a,a\n".utf8)) }
    }

    @Test func unreadableFile() {
        #expect(throws: ImportError(.unreadableFile, "")) { try CSVReader(path: "/nonexistent/accord.csv") }
    }

    @Test func smallChunksGiveSameRowsAsOneBuffer() throws {
        var text = "id,street,note\r\n"
        for i in 0..<500 {
            text += "\(i),\"Weg \(i), \"\"Nord\"\"\",\"a\nb\"\r\n"
            text += "\(i)x,plain \(i),\n"
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try CSVReader(path: path, chunkSize: 7)
        let inMemory = try CSVReader(bytes: Array(text.utf8))
        #expect(fromFile.totalBytes == text.utf8.count)
        var count = 0
        while let a = try inMemory.next() {
            let b = try #require(try fromFile.next())
            #expect(a.fields == b.fields)
            #expect(a.line == b.line)
            count += 1
        }
        #expect(try fromFile.next() == nil)
        #expect(count == 1000)
        #expect(fromFile.bytesRead == text.utf8.count)
    }
}
