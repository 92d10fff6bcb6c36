public import AccordModel
import AccordSQLite

extension Store {
    /// Removes, in one transaction, the registers for which `shouldRemove` holds, seeing each
    /// register's record and author (retention per class honours legal holds on records). A state
    /// left empty is deleted. Returns how many registers went.
    public func removeRegisters(matching shouldRemove: (RecordKey, UnitID, AttributeName, Register) -> Bool) throws -> Int {
        try wrap("remove entries") { try database.transaction { try removeRegistersInTransaction(where: shouldRemove) } }
    }
}
