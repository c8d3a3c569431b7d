import Foundation

/// A labelled table of numeric features, one row per sample.
struct Dataset: Codable, Sendable, Equatable {
    /// The feature values, one array of `featureCount` values per sample.
    var features: [[Double]]
    /// The class index of each sample, an index into `classNames`.
    var labels: [Int]
    /// The human-readable name of each class.
    var classNames: [String]
    /// The number of features every sample has.
    var featureCount: Int

    /// The number of samples.
    var count: Int { labels.count }

    /// Returns the samples at the given indices, in that order.
    func subset(_ indices: [Int]) -> Dataset {
        Dataset(features: indices.map { features[$0] }, labels: indices.map { labels[$0] },
                classNames: classNames, featureCount: featureCount)
    }

    /// Parses the scikit-learn CSV layout.
    ///
    /// The first line is `n_samples,n_features,class_name_1,...`; each further line holds
    /// `n_features` numbers followed by the integer class index. Blank lines are ignored; LF and CRLF both work.
    static func parseCSV(_ text: String) throws -> Dataset {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
            .map { (number: $0.offset + 1, cells: $0.element.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }) }
            .filter { $0.cells != [""] }
        guard let header = lines.first else { throw DatasetError.badHeader(line: 1, reason: "the file is empty") }
        guard header.cells.count >= 3, let sampleCount = Int(header.cells[0]), let featureCount = Int(header.cells[1]),
              sampleCount >= 0, featureCount >= 0 else {
            throw DatasetError.badHeader(line: header.number,
                                         reason: "expected n_samples,n_features,class names... but found \(header.cells.joined(separator: ","))")
        }
        let classNames = Array(header.cells.dropFirst(2))
        var data = Dataset(features: [], labels: [], classNames: classNames, featureCount: featureCount)
        for (number, cells) in lines.dropFirst() {
            guard cells.count == featureCount + 1 else {
                throw DatasetError.wrongColumnCount(line: number, expected: featureCount + 1, found: cells.count)
            }
            var row: [Double] = []
            for (column, cell) in cells.dropLast().enumerated() {
                guard let value = Double(cell), value.isFinite else {
                    throw DatasetError.nonNumeric(line: number, column: column + 1, value: cell)
                }
                row.append(value)
            }
            let labelCell = cells[featureCount]
            guard let label = Int(labelCell), classNames.indices.contains(label) else {
                throw DatasetError.badLabel(line: number, value: labelCell, classCount: classNames.count)
            }
            data.features.append(row)
            data.labels.append(label)
        }
        guard data.count == sampleCount else {
            throw DatasetError.rowCountMismatch(expected: sampleCount, found: data.count)
        }
        return data
    }
}
