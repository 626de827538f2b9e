import XCTest
import StatNet

final class PathTests: XCTestCase {
    /// One separator between the parts, whatever slashes they bring; a name that starts with
    /// `/` still lands inside the folder; empty parts leave the other as it is.
    func testJoin() {
        XCTAssertEqual(Path.join("runs", "m1"), "runs/m1")
        XCTAssertEqual(Path.join("runs/", "m1"), "runs/m1")
        XCTAssertEqual(Path.join("runs/", "/m1"), "runs/m1")
        XCTAssertEqual(Path.join("runs", "/etc/passwd"), "runs/etc/passwd")
        XCTAssertEqual(Path.join("/", "m1"), "/m1")
        XCTAssertEqual(Path.join("", "m1"), "m1")
        XCTAssertEqual(Path.join("runs", ""), "runs")
        XCTAssertEqual(Path.join("reports", "latest", "runs", "m1"), "reports/latest/runs/m1")
    }
}
