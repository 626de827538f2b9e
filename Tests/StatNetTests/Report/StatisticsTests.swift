import XCTest
@testable import StatNet

final class StatisticsTests: XCTestCase {
    func testSummaryAndPairedInterval() {
        let s = Summary([1, 2, 3, 4])
        XCTAssertEqual(s.mean, 2.5)
        XCTAssertEqual(s.std!, (5.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertNil(Summary([7]).std)
        // d = [1, 2, 3]: mean 2, sd 1, t(0.975, 2) = 4.303 -> 2 +- 4.303 / sqrt(3)
        let d = PairedDifference([11, 12, 13], [10, 10, 10])
        XCTAssertEqual(d.mean, 2)
        XCTAssertEqual(d.low!, 2 - 4.303 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(d.high!, 2 + 4.303 / 3.0.squareRoot(), accuracy: 1e-9)
        XCTAssertFalse(d.excludesZero, "[-0.48, 4.48]")
        XCTAssertTrue(PairedDifference([2.1, 1.9, 2.0], [0, 0, 0]).excludesZero)
        XCTAssertFalse(PairedDifference([1, -1], [0, 0]).excludesZero)
        XCTAssertNil(PairedDifference([1], [0]).low)
    }

    func testTQuantiles() {
        XCTAssertEqual(Statistics.tQuantile975(degreesOfFreedom: 1), 12.706)
        XCTAssertEqual(Statistics.tQuantile975(degreesOfFreedom: 30), 2.042)
        XCTAssertEqual(Statistics.tQuantile975(degreesOfFreedom: 40), 2.021, accuracy: 0.002)
        XCTAssertEqual(Statistics.tQuantile975(degreesOfFreedom: 120), 1.980, accuracy: 0.002)
    }
}
