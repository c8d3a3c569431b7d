import GRDB

extension DatabaseError {
    /// Whether a row refers to a row that does not exist.
    var isForeignKeyViolation: Bool {
        extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY
    }
}
