"""A person signs in, browses the directory as of a date, opens a merged province, switches language."""

import re

from playwright.sync_api import expect


def test_directory_as_of_and_language_switch(live_registry, make_user, sign_in, live_server):
    make_user("nguoixem", "observer")
    page = sign_in("nguoixem")
    page.click("text=Cơ quan")
    counts = page.locator("[data-testid=group-count]")
    page.fill("[data-testid=as-of]", "30/06/2025")
    page.click("button:has-text('Xem')")
    expect(counts.nth(1)).to_have_text("63")
    page.fill("[data-testid=as-of]", "01/07/2025")
    page.click("button:has-text('Xem')")
    expect(counts.nth(1)).to_have_text("34")

    page.fill("input[name=q]", "ninh binh")
    page.click("button:has-text('Xem')")
    page.click("text=Tỉnh Ninh Bình >> nth=0")
    lineage = page.locator("[data-testid=lineage]")
    expect(lineage).to_contain_text("Tỉnh Hà Nam")
    expect(lineage).to_contain_text("Tỉnh Nam Định")

    page.click("[data-testid=lang-switch]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-testid=lineage] h2")).to_have_text("Lineage")
    assert re.search(r"/agencies/[0-9.]+H\d\d/", page.url)


def test_tree_expands_children_with_htmx(live_registry, make_user, sign_in):
    from agencies.registry import import_agencies_csv

    import_agencies_csv(
        "code,name_vi,name_en,kind,parent_code,valid_from,valid_to\n"
        "000.00.01.H26,Sở Khoa học và Công nghệ,DOST,department,000.00.00.H26,2008-08-01,\n".encode()
    )
    make_user("xem2", "observer")
    page = sign_in("xem2")
    page.goto(page.url + "agencies/")
    node = page.locator("details", has=page.locator("summary", has_text="Thành phố Hà Nội")).first
    node.locator("summary").click(position={"x": 2, "y": 2})
    expect(node).to_contain_text("Sở Khoa học và Công nghệ")
