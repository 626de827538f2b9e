"""The page when its server goes away, in a real headless Chromium: after a result is shown,
the server is stopped; within a few heartbeats the page shows its banner and greys out the
results as stale (and a request says the server did not answer).

    python3 Tests/page/test_offline.py http://127.0.0.1:PORT/ SERVER_PID
"""
import os
import signal
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import browser

url, server = sys.argv[1], int(sys.argv[2])
driver = browser.start()
check = browser.Checks()

try:
    driver.get(url)
    wait = WebDriverWait(driver, 30)
    driver.find_element(By.ID, "random").click()
    wait.until(lambda d: "Test digit" in d.find_element(By.ID, "source").text)
    check(not driver.find_element(By.ID, "offline").is_displayed(), "no banner while the server answers")
    os.kill(server, signal.SIGINT)
    # The heartbeat is every 3 s: the banner must be up within a few.
    WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "offline").is_displayed())
    check(driver.find_element(By.ID, "offline").is_displayed(), "a visible banner once the server is gone")
    check("stale" in driver.find_element(By.ID, "results").get_attribute("class"), "the predictions and heatmaps are greyed out as stale")
    check("stale" in driver.find_element(By.ID, "seen").get_attribute("class"), "the preprocessed digit is greyed out as stale")
    driver.find_element(By.ID, "random").click()
    WebDriverWait(driver, 10).until(lambda d: "did not answer" in d.find_element(By.ID, "status").text)
    check("did not answer" in driver.find_element(By.ID, "status").text, "a request says the server did not answer")
finally:
    driver.quit()
sys.exit(1 if check.failures else 0)
