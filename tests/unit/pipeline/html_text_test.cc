#include "pipeline/html_text.h"

#include <gtest/gtest.h>

namespace wirefeed {
namespace {

TEST(HtmlTextTest, KeepsBlockStructureAsParagraphs) {
  const auto h = html_to_text("<div><h1>Title</h1><p>First <b>bold</b> para.</p><p>Second\n   para.</p></div>");
  EXPECT_EQ(h.text, "Title\n\nFirst bold para.\n\nSecond para.");
}

// Two <br> in a row (white space between them allowed) end a paragraph: pages that wrap their
// lines with <br> and mark paragraphs with <br><br> (normalize then joins the wrapped lines).
TEST(HtmlTextTest, TurnsLineBreaksIntoLineEndsAndTwoIntoAParagraphsEnd) {
  EXPECT_EQ(html_to_text("<p>one<br>two<br/>three</p>").text, "one\ntwo\nthree");
  EXPECT_EQ(html_to_text("one<br />\ntwo<br />\n<br />\nthree<br>\n  <BR/><br>four<br>").text, "one\ntwo\n\nthree\n\nfour");
  EXPECT_EQ(html_to_text("<p>one</p><br><br><p>two</p>").text, "one\n\ntwo");
}

TEST(HtmlTextTest, DecodesNamedDecimalAndHexEntities) {
  EXPECT_EQ(html_to_text("<p>AT&amp;T &eacute;t&eacute; &#8212; &#x201C;quoted&#x201D; &lt;b&gt;</p>").text,
            "AT&T été — “quoted” <b>");
}

TEST(HtmlTextTest, MapsC1ReferencesLikeHtml5AndReplacesInvalidOnes) {
  EXPECT_EQ(html_to_text("<p>a&#150;b &#0; &#xD800; &#1114112;</p>").text, "a–b \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD");
}

TEST(HtmlTextTest, LeavesUnknownEntitiesAndBareAmpersandsAsText) {
  EXPECT_EQ(html_to_text("<p>Q&A &bogus; & more</p>").text, "Q&A &bogus; & more");
}

TEST(HtmlTextTest, DropsScriptsStylesCommentsAndTheTitle) {
  const auto h = html_to_text(
      "<html><head><title>T</title><style>p{color:red}</style></head><body><!-- c --><script>var x = '<p>';</script>"
      "<p>Kept.</p><noscript>no</noscript></body></html>");
  EXPECT_EQ(h.text, "Kept.");
  EXPECT_EQ(h.title, "T");  // reported apart
}

// A scraped page's chrome: menus, related links, the site's footer. Not a form: ASP.NET pages
// wrap the whole page in one.
TEST(HtmlTextTest, DropsAPagesNavigationAsidesAndFooter) {
  const auto h = html_to_text(
      "<body><form id=form1 method=post><nav><ul><li>News</li><li>Sports <nav-item>x</nav-item> y</li></ul></nav>"
      "<article><h1>Storm batters Florida</h1><p>TAMPA, Fla. (AP) \xE2\x80\x94 A storm hit.</p>"
      "<aside><a href=x>Related: past storms</a></aside><p>Power was cut.</p></article>"
      "<footer>Terms of Use | Privacy Policy</footer></form></body>");
  EXPECT_EQ(h.text, "Storm batters Florida\n\nTAMPA, Fla. (AP) \xE2\x80\x94 A storm hit.\n\nPower was cut.");
  // Never closed: only the start tag goes, the text after it stays.
  EXPECT_EQ(html_to_text("<aside><p>Kept.</p>").text, "Kept.");
}

TEST(HtmlTextTest, SetsFigureCaptionsApart) {
  const auto h = html_to_text("<p>Body.</p><figure><img src=x><figcaption>Macron (R) meets Putin.</figcaption></figure>");
  EXPECT_EQ(h.text, "Body.");
  EXPECT_EQ(h.captions, (std::vector<std::string>{"Macron (R) meets Putin."}));
}

TEST(HtmlTextTest, ToleratesBrokenMarkup) {
  EXPECT_EQ(html_to_text("<p>a < b and <3 <p unclosed").text, "a < b and <3");
  EXPECT_EQ(html_to_text("<script>never closed").text, "");
  EXPECT_EQ(html_to_text("<p title=\"a>b\">x</p>").text, "x");
  EXPECT_EQ(html_to_text("<!-- open comment").text, "");
}

TEST(HtmlTextTest, ASelfClosingSkippedElementHasNoContents) {
  // HTML5 foreign elements may be written self-closing; nothing after them is the svg's.
  EXPECT_EQ(html_to_text("<p>First paragraph.</p><svg viewBox=\"0 0 1 1\"/><p>Second paragraph.</p>").text,
            "First paragraph.\n\nSecond paragraph.");
  EXPECT_EQ(html_to_text("<svg/><p>Only paragraph.</p>").text, "Only paragraph.");
  EXPECT_EQ(html_to_text("<p>a <svg width='1' /> b <math/> c</p>").text, "a b c");
  EXPECT_EQ(html_to_text("<p>a</p><script src=\"x.js\"/><iframe src='y'/><p>b</p>").text, "a\n\nb");
  EXPECT_EQ(html_to_text("<p>a</p><figure><figcaption/></figure><p>b</p>").text, "a\n\nb");
  // A '/' that ends an unquoted attribute value does not close the tag (as in HTML5).
  EXPECT_EQ(html_to_text("<p>a</p><iframe src=http://x/>hidden</iframe><p>b</p>").text, "a\n\nb");
  // A skipped element with contents is still skipped.
  EXPECT_EQ(html_to_text("<p>a</p><svg viewBox=\"0 0 1 1\"><text>label</text></svg><p>b</p>").text, "a\n\nb");
}

TEST(HtmlTextTest, AnUnclosedSvgDropsOnlyItsStartTag) {
  EXPECT_EQ(html_to_text("<p>a</p><svg viewBox=\"0 0 1 1\"><p>b</p><svg><p>c</p>").text, "a\n\nb\n\nc");
  // ... while an unclosed element of raw text (script, style, ...) is all contents, as in a browser.
  EXPECT_EQ(html_to_text("<p>a</p><style>p{}<p>b</p>").text, "a");
}

TEST(HtmlTextTest, MakesEachTableRowOneParagraphOfItsCells) {
  const auto h = html_to_text(
      "<p>Toll:</p><table><thead><tr><th>Region</th><th>Deaths</th></tr></thead>"
      "<tbody><tr><td>Maule</td> <td>12</td></tr>\n<tr><td> Biobio </td><td></td><td>3</td></tr></tbody></table><p>After.</p>");
  EXPECT_EQ(h.text, "Toll:\n\nRegion | Deaths\n\nMaule | 12\n\nBiobio | 3\n\nAfter.");
  // A cell of no-break spaces is empty too.
  EXPECT_EQ(html_to_text("<table><tr><td>a</td><td>&nbsp;</td><td> &#8194; </td><td>b&nbsp;c</td></tr></table>").text,
            "a | b\xC2\xA0" "c");
  // Cells and rows left open, as HTML allows.
  EXPECT_EQ(html_to_text("<table><tr><td>a<td>b<tr><td>c<td>d</table>").text, "a | b\n\nc | d");
}

TEST(HtmlTextTest, ReadsBlocksInsideTableCellsSanely) {
  // One block per cell: still one row.
  EXPECT_EQ(html_to_text("<table><tr><td><p>Maule</p></td><td><div><b>12</b></div></td><td><p></p></td></tr></table>").text,
            "Maule | 12");
  // A cell with several paragraphs (a layout table) keeps them apart, and so each cell of its row.
  EXPECT_EQ(html_to_text("<table><tr><td><p>First para.</p><p>Second<br>para.</p></td></tr></table>").text,
            "First para.\n\nSecond\npara.");
  EXPECT_EQ(html_to_text("<table><tr><td>Name</td><td><p>one</p><p>two</p></td><td>x</td></tr></table>").text,
            "Name\n\none\n\ntwo\n\nx");
  // A table inside a cell.
  EXPECT_EQ(html_to_text("<table><tr><td><p>Intro.</p><table><tr><td>a</td><td>b</td></tr></table><p>Outro.</p></td></tr></table>")
                .text,
            "Intro.\n\na | b\n\nOutro.");
}

TEST(HtmlTextTest, KeepsTheParagraphsOfAFigureCaptionInTheCaption) {
  const auto h = html_to_text("<p>Body.</p><figure><figcaption><p>Macron meets Putin.</p><p>Photo: AP</p></figcaption></figure>");
  EXPECT_EQ(h.text, "Body.");
  EXPECT_EQ(h.captions, (std::vector<std::string>{"Macron meets Putin.\n\nPhoto: AP"}));
}

TEST(HtmlTextTest, ReportsThePagesTitle) {
  const auto h = html_to_text(
      "<html><head><TITLE>\n  Quake &amp; tsunami\thit Chile | Example News </TITLE></head><body><p>Text.</p>"
      "<svg><title>Icon</title></svg><title>Second</title></body></html>");
  EXPECT_EQ(h.title, "Quake & tsunami hit Chile | Example News");
  EXPECT_EQ(h.text, "Text.");
  EXPECT_EQ(html_to_text("<svg><title>Icon</title></svg><p>Text.</p>").title, "");
  EXPECT_EQ(html_to_text("<p>Text.</p><title>never closed").title, "");
}

using times = std::vector<std::string>;

TEST(HtmlTextTest, ReportsThePublishedTimeAPageStatesInItsMeta) {
  const auto page = [](const std::string& head) {
    const auto published = html_to_text("<head>" + head + "</head><p>Text.</p>").published;
    return published.empty() ? std::string() : published.front();
  };
  EXPECT_EQ(page("<meta property=\"article:published_time\" content=\"2022-02-07T10:00:00Z\">"), "2022-02-07T10:00:00Z");
  EXPECT_EQ(page("<META NAME='PubDate' CONTENT='2022-02-07'>"), "2022-02-07");
  EXPECT_EQ(page("<meta name=date content=2022-02-07T10:00:00+01:00>"), "2022-02-07T10:00:00+01:00");
  EXPECT_EQ(page("<meta content=\" Mon, 07 Feb 2022 10:00:00 GMT \" name=\"DC.date.issued\">"), "Mon, 07 Feb 2022 10:00:00 GMT");
  EXPECT_EQ(page("<meta name=\"description\" content=\"Quake\"><meta name=\"publishdate\" content=\"2022-02-07T10:00:00&#43;01:00\">"),
            "2022-02-07T10:00:00+01:00");
  EXPECT_EQ(page("<meta name=\"article.published\" content=\"\"><meta name=\"dc.date\" content=\"2022-02-07\">"), "2022-02-07");
  EXPECT_EQ(page("<meta name=\"keywords\" content=\"date\">"), "");
  // itemprop in the body, and a meta before the page's date line.
  EXPECT_EQ(html_to_text("<p><time datetime=\"2022-02-06\">Feb 6</time></p><meta itemprop=datePublished content=\"2022-02-07\">")
                .published,
            (times{"2022-02-07", "2022-02-06"}));
  // Not inside an element whose contents are dropped.
  EXPECT_EQ(html_to_text("<noscript><meta name=\"date\" content=\"2022-02-07\"></noscript><p>Text.</p>").published, times{});
}

// Every candidate, in order: one that is no time (a date without its year, a time without its
// date) hides none after it; the reader takes the first it parses.
TEST(HtmlTextTest, ReportsEveryMetaThenEveryDateLinesDatetimeInOrder) {
  EXPECT_EQ(html_to_text("<meta name=\"date\" content=\"Monday, February 7\">"
                         "<meta property=\"article:published_time\" content=\"2022-02-07T10:00:00Z\"><p>Text.</p>")
                .published,
            (times{"Monday, February 7", "2022-02-07T10:00:00Z"}));
  EXPECT_EQ(html_to_text("<h1>Quake hits Chile</h1><p><TIME DateTime='10:00'>10:00</TIME></p><div><time>Feb 7</time></div>"
                         "<p><time datetime=\"2022-02-07\">Feb 7, 2022</time></p><p>SANTIAGO (Reuters) - A quake hit.</p>")
                .published,
            (times{"10:00", "2022-02-07"}));
  EXPECT_EQ(html_to_text("<p>No time.</p>").published, times{});
}

// Only the page's date line states its time: not a <time> in running text, in a list or after the
// article's first paragraph.
TEST(HtmlTextTest, ReportsNoDatetimeOfATimeThatIsNotThePagesDateLine) {
  EXPECT_EQ(html_to_text("<p>Talks began.</p><p>Related story <time datetime=\"2019-05-01\">2019</time></p>").published, times{});
  EXPECT_EQ(html_to_text("<p>On <time datetime=\"2022-02-07\">Monday</time> talks began.</p>").published, times{});
  EXPECT_EQ(html_to_text("<h2>Timeline</h2><ul><li><time datetime=\"2020-03-01\">March 1</time></li></ul><p>Text.</p>").published,
            times{});
  EXPECT_EQ(html_to_text("<p>Talks began.</p><p><time datetime=\"2020-03-11\">March 11</time></p>").published, times{});
}

TEST(HtmlTextTest, SetsAsideATimeElementThatIsAParagraphOfItsOwnAtTheTop) {
  const auto h = html_to_text(
      "<article><h1>Quake hits Chile</h1><time datetime=\"2022-02-07T10:00:00Z\">Feb 7</time>"
      "<div class=date><span> <time>Updated Feb 8</time> </span></div><p>SANTIAGO (Reuters) - A quake hit.</p></article>");
  EXPECT_EQ(h.text, "Quake hits Chile\n\nSANTIAGO (Reuters) - A quake hit.");
  EXPECT_EQ(h.dates, (std::vector<std::string>{"Feb 7", "Updated Feb 8"}));
  // Inside running text it is text.
  const auto running = html_to_text("<p>The vote <time>on Monday</time> was close.</p><p><time>Monday</time>: the vote.</p>"
                                    "<p>Updated <time>Feb 8</time></p><p><time>Feb 8</time><br>By Jane Doe</p>");
  EXPECT_EQ(running.text, "The vote on Monday was close.\n\nMonday: the vote.\n\nUpdated Feb 8\n\nFeb 8\nBy Jane Doe");
  EXPECT_TRUE(running.dates.empty());
}

// A date standing alone further down (a timeline's entries) is the article's text.
TEST(HtmlTextTest, KeepsATimeStandingAloneAfterTheArticlesTextOrInAList) {
  const auto h = html_to_text(
      "<p>The virus spread fast.</p><h2>Timeline</h2><p><time datetime=\"2020-03-11\">March 11, 2020</time></p>"
      "<p>WHO declares a pandemic.</p><div><time>Later</time></div>");
  EXPECT_EQ(h.text, "The virus spread fast.\n\nTimeline\n\nMarch 11, 2020\n\nWHO declares a pandemic.\n\nLater");
  EXPECT_TRUE(h.dates.empty());
  const auto list = html_to_text("<h1>Timeline</h1><ul><li><time>March 1</time></li><li><time>March 11</time><li>x</ul>");
  EXPECT_EQ(list.text, "Timeline\n\nMarch 1\n\nMarch 11\n\nx");
  EXPECT_TRUE(list.dates.empty());
  const auto table = html_to_text("<table><tr><td><time>March 1</time></td><td>Lockdown</td></tr></table>");
  EXPECT_EQ(table.text, "March 1 | Lockdown");
  EXPECT_TRUE(table.dates.empty());
}

// A layout table (a page laid out in table cells): its cells are paragraphs, "<br><br>" in a
// cell ends one, and a short cell next to a long one is not joined to it.
TEST(HtmlTextTest, ReadsALayoutTablesCellsAsParagraphs) {
  EXPECT_EQ(html_to_text("<table><tr><td>SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday, officials said."
                         "<br><br>Twelve people died.<br> <BR/>\n<br>Copyright 2022 Reuters. All rights reserved.</td>"
                         "<td>Advertisement</td></tr></table>")
                .text,
            "SANTIAGO (Reuters) - A strong earthquake hit central Chile on Monday, officials said.\n\nTwelve people died."
            "\n\nCopyright 2022 Reuters. All rights reserved.\n\nAdvertisement");
  const std::string long_text(121, 'x');
  EXPECT_EQ(html_to_text("<table><tr><td>Image: quake.jpg</td><td>" + long_text + "</td></tr><tr><td>a</td><td>b</td></tr></table>").text,
            "Image: quake.jpg\n\n" + long_text + "\n\na | b");
  EXPECT_EQ(html_to_text("<table><tr><td>A</td><td>One line<br>two<br><br>Next</td><td>B</td></tr></table>").text,
            "A\n\nOne line\ntwo\n\nNext\n\nB");
  // Short cells with one <br> (a line break inside a name or an address) are data.
  EXPECT_EQ(html_to_text("<table><tr><td>Maule<br>Region</td><td>12<br></td><td><br><br>3</td></tr></table>").text,
            "Maule Region | 12 | 3");
  const std::string cell(120, 'y');
  EXPECT_EQ(html_to_text("<table><tr><td>" + cell + "</td><td>z</td></tr></table>").text, cell + " | z");
  // Its spaces count: 21 words of 5 letters are 125 characters.
  std::string words = "words";
  for (int k = 0; k < 20; ++k) words += " words";
  EXPECT_EQ(html_to_text("<table><tr><td>" + words + "</td><td>z</td></tr></table>").text, words + "\n\nz");
}

// Any table, however many rows, cells or unclosed tags, costs time linear in its size.
TEST(HtmlTextTest, ReadsHugeTablesInLinearTime) {
  std::string row = "<table><tr>", rows = "<table>";
  for (int k = 0; k < 50000; ++k) {
    row += "<td>c<br>";
    rows += "<tr><td>a<td>b";
  }
  row += std::string(200, 'x');
  const auto one_row = html_to_text(row);
  EXPECT_EQ(one_row.text.size(), 49999 * 3 + 202);  // "c" and "\n\n" each, "c\nxx...x" last
  EXPECT_EQ(html_to_text(rows).text.size(), 50000 * 7 - 2);
}

TEST(HtmlTextTest, KeepsCdataText) { EXPECT_EQ(html_to_text("<p><![CDATA[x < y]]></p>").text, "x < y"); }

TEST(HtmlTextTest, DecodesEntitiesInPlainText) {
  EXPECT_EQ(decode_html_entities("Tom &amp; Jerry &nbsp;AT&T"), "Tom & Jerry \xC2\xA0" "AT&T");
}

}  // namespace
}  // namespace wirefeed
