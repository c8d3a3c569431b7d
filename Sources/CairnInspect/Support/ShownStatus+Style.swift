import CairnCore
import CairnInspection

extension ShownStatus {
    /// The style it is shown in: an abandoned run is red, as a failed one.
    var style: TextStyle {
        switch self {
        case .recorded(let status): .of(status)
        case .abandoned: .red
        }
    }
}
