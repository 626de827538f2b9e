"""The page of `statnet serve` in a real headless Chromium: draw a 7 with pointer events, check
that both models answer and the four heatmaps are painted, load a test digit, check that Clear
empties every panel, and save screenshots at desktop and phone widths.

    python3 Tests/page/test_page.py http://127.0.0.1:PORT/ SCREENSHOT_FOLDER
"""
import os
import sys
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import browser

url, shots = sys.argv[1], sys.argv[2]
os.makedirs(shots, exist_ok=True)
driver = browser.start()
check = browser.Checks()


def painted(canvas_id):
    """Distinct colours on a canvas: more than one means a real heatmap, not a blank fill."""
    return driver.execute_script(
        "const c = document.getElementById(arguments[0]), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "const seen = new Set(); for (let i = 0; i < d.length; i += 4) seen.add(d[i] * 65536 + d[i + 1] * 256 + d[i + 2]);"
        "return c.dataset.painted === 'yes' ? seen.size : 0;", canvas_id)


try:
    driver.get(url)
    pad = driver.find_element(By.ID, "pad")
    size = pad.size
    w, h = size["width"], size["height"]
    # A 7: a stroke across the top, then down to the lower left, with pointer events.
    actions = ActionChains(driver, duration=20)
    actions.move_to_element_with_offset(pad, int(-0.30 * w), int(-0.32 * h)).click_and_hold()
    for step in range(1, 13):
        actions.move_by_offset(int(0.55 * w / 12), 0)
    for step in range(1, 17):
        actions.move_by_offset(int(-0.30 * w / 16), int(0.70 * h / 16))
    actions.release().perform()
    wait = WebDriverWait(driver, 30)
    wait.until(lambda d: d.find_element(By.ID, "statnet-digit").text.strip().isdigit()
               and "your drawing" in d.find_element(By.ID, "status").text)
    statnet, mlpnet = driver.find_element(By.ID, "statnet-digit").text, driver.find_element(By.ID, "mlpnet-digit").text
    check(statnet.isdigit() and mlpnet.isdigit(), f"both models answered the drawing: StatNet {statnet}, MLPNet {mlpnet}")
    check(statnet == "7" or mlpnet == "7", f"the drawn 7 is read as 7 by at least one model (StatNet {statnet}, MLPNet {mlpnet})")
    for name in ["energy", "level", "entropy", "meanEnergy"]:
        check(painted("channel-" + name) > 2, f"the {name} heatmap is painted ({painted('channel-' + name)} colours)")
    check(painted("preprocessed") > 2, "the preprocessed digit is shown")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#statnet-bars .bar")) == 10, "ten probability bars for StatNet")
    driver.save_screenshot(os.path.join(shots, "desktop.png"))

    driver.find_element(By.ID, "random").click()
    try:
        wait.until(lambda d: "Test digit" in d.find_element(By.ID, "source").text)
    except Exception:
        print("status:", driver.find_element(By.ID, "status").text, "| browser log:", driver.get_log("browser"))
        raise
    check("Test digit" in driver.find_element(By.ID, "source").text, "a random test digit is shown with its label")
    driver.find_element(By.ID, "disagreement").click()
    wait.until(lambda d: "(disagreement " in d.find_element(By.ID, "status").text or "agree on every" in d.find_element(By.ID, "status").text)
    text = driver.find_element(By.ID, "status").text
    shown = driver.find_element(By.ID, "statnet-digit").text, driver.find_element(By.ID, "mlpnet-digit").text
    check("agree on every" in text or (shown[0] != shown[1] and text.startswith("StatNet reads")),
          f"a disagreement shows two different digits: {text} (StatNet {shown[0]}, MLPNet {shown[1]})")

    # Clear empties every panel: no digit, bars, heatmaps or preprocessed digit from before.
    driver.find_element(By.ID, "clear").click()
    shown = driver.find_element(By.ID, "statnet-digit").text, driver.find_element(By.ID, "mlpnet-digit").text
    check(shown == ("\u2013", "\u2013"), f"Clear resets both predictions ({shown})")
    check(len(driver.find_elements(By.CSS_SELECTOR, ".bars .bar")) == 0, "Clear removes the probability bars")
    check(all(painted(c) == 0 for c in ["preprocessed", "channel-energy", "channel-level", "channel-entropy", "channel-meanEnergy"]),
          "Clear blanks the preprocessed digit and the four heatmaps")
    check(driver.find_element(By.ID, "source").text == "", "Clear removes the test digit's label")

    driver.set_window_size(390, 1400)
    driver.find_element(By.ID, "clear").click()
    actions = ActionChains(driver, duration=20)
    pad = driver.find_element(By.ID, "pad")
    w = pad.size["width"]
    actions.move_to_element_with_offset(pad, 0, int(-0.3 * w)).click_and_hold().move_by_offset(0, int(0.6 * w)).release().perform()
    wait.until(lambda d: "your drawing" in d.find_element(By.ID, "status").text)
    width = driver.execute_script("return document.documentElement.scrollWidth")
    check(width <= 390, f"no sideways scrolling at phone width (page {width} px wide)")
    driver.save_screenshot(os.path.join(shots, "phone.png"))
finally:
    driver.quit()
print(f"screenshots in {shots}")
sys.exit(1 if check.failures else 0)
