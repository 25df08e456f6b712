<?xml version="1.0" encoding="UTF-8"?>
<!--
  The home page (what the edition is, how to cite it, the telegrams in date order and by month) and the search page.
  Both are called as named templates: they describe the whole corpus, not one document, and read it from the
  catalogue (facts.xsl's record of every document, and the date order worked out once by site.py).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tg="urn:telegrams:edition"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:import href="html.xsl"/>

  <xsl:param name="base-url" as="xs:string" select="''"/>
  <xsl:param name="build-date" as="xs:string" select="''"/>
  <!-- 0: the home page lists every document of the correspondence; N: above N documents it lists the months only,
       and each month's documents go to pages of at most N ("correspondence~1951-01~1.html"; no document's page
       name holds "~"), written by the same run into $month-pages-folder beside its output. -->
  <xsl:param name="home-docs-per-page" as="xs:string" select="'0'"/>
  <xsl:param name="month-pages-folder" as="xs:string" select="''"/>

  <xsl:variable name="months" select="('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
                                       'September', 'October', 'November', 'December')"/>

  <xsl:template name="xsl:initial-template">
    <xsl:variable name="in-order" select="$catalogue/*/tg:position ! key('catalogue-doc', @id, $catalogue)"/>
    <xsl:variable name="telegrams" select="$in-order[@correspondence = 'true']"/>
    <xsl:variable name="others" select="$in-order[not(@correspondence = 'true')]"/>
    <xsl:variable name="per-page" select="xs:integer($home-docs-per-page)"/>
    <xsl:variable name="month-pages" select="if ($per-page gt 0 and count($telegrams) gt $per-page)
                                             then tg:month-pages($telegrams, $per-page) else ()"/>
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="$edition-title"/>
      <xsl:with-param name="page-class" select="'home-page'"/>
      <xsl:with-param name="current" select="'index.html'"/>
      <xsl:with-param name="description" select="($edition-description[.], $edition-title)[1]"/>
      <xsl:with-param name="content">
        <header class="page-header">
          <p class="doc-kind">A digital scholarly edition</p>
          <h1>{$edition-title}</h1>
        </header>
        <div class="home-layout">
          <div class="home-main">
            <section class="intro" aria-labelledby="about-heading">
              <h2 id="about-heading">About the edition</h2>
              <xsl:if test="$edition-description"><p>{$edition-description}</p></xsl:if>
              <p class="corpus-facts">{tg:corpus-facts($in-order, $telegrams)}</p>
              <p>Each document is encoded in TEI P5 and shown with its structure as the source gives it. Names of
                persons, places and organisations lead to the registers. A <em>diplomatic</em> view shows the source
                as it stands, slips included; the <em>normalized</em> view applies the editors’ corrections, which
                are marked in the text. Square brackets mark insertions of the translator or the editors.</p>
            </section>
            <section class="telegram-list" aria-labelledby="telegrams-heading">
              <h2 id="telegrams-heading">The correspondence in date order</h2>
              <xsl:choose>
                <xsl:when test="empty($telegrams)"><p>None in this edition yet.</p></xsl:when>
                <xsl:when test="exists($month-pages)">
                  <p>{count($telegrams)} documents, too many for one page: they are listed month by month, on the
                    pages the <a href="#timeline-heading">timeline</a> links.</p>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:call-template name="catalogue-table">
                    <xsl:with-param name="docs" select="$telegrams"/>
                  </xsl:call-template>
                </xsl:otherwise>
              </xsl:choose>
            </section>
            <xsl:if test="$telegrams">
              <xsl:call-template name="timeline">
                <xsl:with-param name="telegrams" select="$telegrams"/>
                <xsl:with-param name="month-pages" select="$month-pages"/>
              </xsl:call-template>
            </xsl:if>
            <xsl:if test="$others">
              <section aria-labelledby="others-heading">
                <h2 id="others-heading">Other texts</h2>
                <ul class="other-texts">
                  <xsl:for-each select="$others">
                    <li><a href="{@id}.html">{tg:title}</a>
                      <xsl:for-each select="tg:summary[@blank = 'false'][not(@of/string())]"> — {.}</xsl:for-each></li>
                  </xsl:for-each>
                </ul>
              </section>
            </xsl:if>
          </div>
          <aside class="home-aside">
            <section class="panel" aria-labelledby="cite-edition-heading">
              <h2 id="cite-edition-heading">How to cite</h2>
              <p>Cite the edition as:</p>
              <p class="citation">{(tg:and-list($edition/*/tg:creator ! string(.))[.], 'The editors')[1]}, <cite>{$edition-title}</cite>
                {$build-date[.] ! ('(' || . || ')')}{if ($base-url) then ', ' || $base-url else ''}.</p>
              <p>Cite a single document by its page: each page gives a ready-made citation and a permalink
                built from the document’s identifier (for example <code>{(($telegrams, $catalogue/*/tg:doc)[1]/@id ! string(), 'document-id')[1]}</code>).</p>
            </section>
            <section class="panel" aria-labelledby="registers-heading">
              <h2 id="registers-heading">Registers</h2>
              <ul>
                <li><a href="persons.html">Persons</a> ({count($registers//person)})</li>
                <li><a href="places.html">Places</a> ({count($registers//place)})</li>
                <li><a href="organisations.html">Organisations</a> ({count($registers//org)})</li>
              </ul>
            </section>
            <section class="panel" aria-labelledby="data-heading">
              <h2 id="data-heading">Sources and data</h2>
              <p>Every page links to its TEI source. Plain-text editions of each text and of the whole corpus:
                <a href="text/corpus.txt">corpus.txt</a>.</p>
            </section>
          </aside>
        </div>
      </xsl:with-param>
    </xsl:call-template>
    <xsl:for-each select="$month-pages">
      <xsl:variable name="at" select="position()"/>
      <xsl:result-document href="{$month-pages-folder}/{?name}">
        <xsl:call-template name="month-page">
          <xsl:with-param name="page" select="."/>
          <xsl:with-param name="previous" select="$month-pages[$at - 1]"/>
          <xsl:with-param name="next" select="$month-pages[$at + 1]"/>
        </xsl:call-template>
      </xsl:result-document>
    </xsl:for-each>
  </xsl:template>

  <!-- The table of documents of the correspondence, one row each: on the home page, or on a month's page. -->
  <xsl:template name="catalogue-table">
    <xsl:param name="docs" as="element(tg:doc)*"/>
              <table class="catalogue">
                <caption class="visually-hidden">Documents of the correspondence, with date sent, sender and addressee, kind and summary</caption>
                <thead>
                  <tr><th scope="col">Sent</th><th scope="col">From → to</th><th scope="col">Summary</th></tr>
                </thead>
                <tbody>
                  <xsl:for-each select="$docs">
                    <tr>
                      <td class="when">
                        <xsl:for-each select="tg:sent">
                          <xsl:element name="{if (normalize-space(@datetime)) then 'time' else 'span'}">
                            <xsl:if test="normalize-space(@datetime)"><xsl:attribute name="datetime" select="@datetime"/></xsl:if>
                            <xsl:if test="@uncertain = 'true'"><xsl:attribute name="class" select="'uncertain'"/></xsl:if>
                            <xsl:value-of select="."/>
                          </xsl:element>
                        </xsl:for-each>
                      </td>
                      <th scope="row" class="who">
                        <a href="{@id}.html">{tg:from} → {tg:to}</a>
                        <span class="row-kind">{tg:kind-label(@kind, false())}</span>
                        <xsl:for-each select="tg:via">
                          <span class="via"> via {.}</span>
                        </xsl:for-each>
                      </th>
                      <td class="what">
                        <xsl:for-each select="tg:summary[not(@of/string())][@blank = 'false']"><p>{.}</p></xsl:for-each>
                        <xsl:for-each select="tg:caveat"><p class="summary-caveat"><span class="caveat-label">Editors’ note:</span><xsl:text> </xsl:text><xsl:call-template name="link-files"><xsl:with-param name="text" select="string(.)"/></xsl:call-template></p></xsl:for-each>
                      </td>
                    </tr>
                  </xsl:for-each>
                </tbody>
              </table>
  </xsl:template>

  <!-- A large correspondence, cut into pages: each month, in date order (documents not dated to a month last), in
       parts of at most $per-page documents. One map per page: name, month key, label, part, parts, docs. -->
  <xsl:function name="tg:month-pages" as="map(*)*">
    <xsl:param name="telegrams" as="element(tg:doc)*"/>
    <xsl:param name="per-page" as="xs:integer"/>
    <xsl:for-each-group select="$telegrams" group-by="tg:month-key(.)">
      <xsl:sort select="current-grouping-key() = 'undated'"/>
      <xsl:sort select="current-grouping-key()"/>
      <xsl:variable name="docs" select="current-group()"/>
      <xsl:variable name="key" select="current-grouping-key()"/>
      <xsl:variable name="parts" select="xs:integer(ceiling(count($docs) div $per-page))"/>
      <xsl:for-each select="1 to $parts">
        <xsl:sequence select="map{'name': 'correspondence~' || $key || '~' || . || '.html', 'key': $key,
                                  'label': tg:month-label($key), 'part': ., 'parts': $parts,
                                  'docs': $docs[position() = ((current() - 1) * $per-page + 1) to current() * $per-page]}"/>
      </xsl:for-each>
    </xsl:for-each-group>
  </xsl:function>

  <!-- "1951-01" for a document dated (or first dated) in a month, "undated" for one that is not. -->
  <xsl:function name="tg:month-key" as="xs:string">
    <xsl:param name="doc" as="element(tg:doc)"/>
    <xsl:variable name="month" select="substring($doc/@sort-key, 1, 7)"/>
    <xsl:sequence select="if (matches($month, '^\d{4}-(0[1-9]|1[0-2])$')) then $month else 'undated'"/>
  </xsl:function>

  <xsl:function name="tg:month-label" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="if ($key = 'undated') then 'Not dated to a month'
                          else $months[xs:integer(substring($key, 6, 2))] || ' ' || substring($key, 1, 4)"/>
  </xsl:function>

  <xsl:function name="tg:page-label" as="xs:string">
    <xsl:param name="page" as="map(*)"/>
    <xsl:sequence select="$page?label || (if ($page?parts gt 1) then ', page ' || $page?part else '')"/>
  </xsl:function>

  <xsl:template name="month-page">
    <xsl:param name="page" as="map(*)"/>
    <xsl:param name="previous" as="map(*)?"/>
    <xsl:param name="next" as="map(*)?"/>
    <xsl:variable name="of" select="if ($page?parts gt 1) then ', page ' || $page?part || ' of ' || $page?parts else ''"/>
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="'The correspondence: ' || tg:page-label($page) || ' — ' || $edition-short-title"/>
      <xsl:with-param name="page-class" select="'home-page month-page'"/>
      <xsl:with-param name="content">
        <header class="page-header">
          <p class="doc-kind"><a href="index.html#timeline-heading">The correspondence by month</a></p>
          <h1>{$page?label}</h1>
          <p class="lede">{count($page?docs)} {if (count($page?docs) = 1) then 'document' else 'documents'}{$of}.</p>
        </header>
        <xsl:call-template name="catalogue-table">
          <xsl:with-param name="docs" select="$page?docs"/>
        </xsl:call-template>
        <nav class="prev-next" aria-label="Pages of the correspondence">
          <xsl:if test="exists($previous)"><a class="prev" rel="prev" href="{$previous?name}"><span class="dir">← Previous</span> {tg:page-label($previous)}</a></xsl:if>
          <xsl:if test="exists($next)"><a class="next" rel="next" href="{$next?name}"><span class="dir">Next →</span> {tg:page-label($next)}</a></xsl:if>
        </nav>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- "7 documents: 6 ciphered telegrams and 1 commentary. The correspondence runs from 7 November 1950 to
       21 June 1951, between Mao Zedong and Stalin." — all from the catalogue, labels from edition.toml. -->
  <xsl:function name="tg:corpus-facts" as="xs:string">
    <xsl:param name="docs" as="element(tg:doc)*"/>
    <xsl:param name="letters" as="element(tg:doc)*"/>
    <xsl:variable name="kinds" as="xs:string*">
      <xsl:for-each-group select="$docs" group-by="@kind">
        <xsl:sort select="count(current-group())" order="descending"/>
        <xsl:sequence select="count(current-group()) || ' ' || lower-case(tg:kind-label(current-grouping-key(), count(current-group()) ne 1))"/>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:variable name="earliest" select="sort($letters/@earliest[matches(., '^\d{4}')] ! string(.))[1]"/>
    <xsl:variable name="latest" select="sort($letters/@latest[matches(., '^\d{4}')] ! string(.))[last()]"/>
    <xsl:variable name="people" select="distinct-values($letters/tg:correspondent ! normalize-space(.))"/>
    <xsl:sequence select="string-join((
        'The edition holds ' || count($docs) || (if (count($docs) = 1) then ' document' else ' documents')
          || (if (exists($kinds)) then ': ' || tg:and-list($kinds) else '') || '.',
        if ($earliest) then 'The correspondence is dated '
          || (if ($earliest = $latest) then tg:format-date($earliest)
              else 'from ' || tg:format-date(substring($earliest, 1, 10)) || ' to ' || tg:format-date(substring($latest, 1, 10)))
          || (if (exists($people)) then ', between ' || tg:and-list($people) else '') || '.'
        else ()), ' ')"/>
  </xsl:function>

  <xsl:function name="tg:and-list" as="xs:string">
    <xsl:param name="items" as="xs:string*"/>
    <xsl:sequence select="if (count($items) le 1) then string($items[1])
                          else string-join($items[position() lt last()], ', ') || ' and ' || $items[last()]"/>
  </xsl:function>

  <!-- Every month from the first telegram to the last, so that gaps in the correspondence show. -->
  <xsl:template name="timeline">
    <xsl:param name="telegrams" as="element(tg:doc)*"/>
    <xsl:param name="month-pages" as="map(*)*"/>
    <xsl:variable name="keys" select="$telegrams ! substring(@sort-key, 1, 7)[matches(., '^\d{4}-\d{2}$')]"/>
    <xsl:if test="exists($keys)">
      <!-- The telegrams of each month, in date order: one pass, however many months and telegrams. -->
      <xsl:variable name="by-month" as="map(xs:string, element(tg:doc)*)">
        <xsl:map>
          <xsl:for-each-group select="$telegrams" group-by="substring(@sort-key, 1, 7)">
            <xsl:map-entry key="current-grouping-key()" select="current-group()"/>
          </xsl:for-each-group>
        </xsl:map>
      </xsl:variable>
      <xsl:variable name="first" select="xs:integer(substring($keys[1], 1, 4)) * 12 + xs:integer(substring($keys[1], 6, 2)) - 1"/>
      <xsl:variable name="last" select="xs:integer(substring($keys[last()], 1, 4)) * 12 + xs:integer(substring($keys[last()], 6, 2)) - 1"/>
      <section class="timeline" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline by month</h2>
        <ol class="months">
          <xsl:for-each select="$first to $last">
            <xsl:variable name="year" select=". idiv 12"/>
            <xsl:variable name="month" select=". mod 12 + 1"/>
            <xsl:variable name="key" select="$year || '-' || format-integer($month, '00')"/>
            <xsl:variable name="these" select="$by-month($key)"/>
            <li class="month{if (empty($these)) then ' month-empty' else ''}">
              <span class="month-name">{$months[$month]} {$year}</span>
              <xsl:choose>
                <xsl:when test="$these and exists($month-pages)">
                  <xsl:call-template name="month-page-links">
                    <xsl:with-param name="pages" select="$month-pages[?key = $key]"/>
                  </xsl:call-template>
                </xsl:when>
                <xsl:when test="$these">
                  <ul class="month-items">
                    <xsl:for-each select="$these">
                      <li><a href="{@id}.html"><span class="day">{(tg:sent, tg:format-date(substring(@sort-key, 1, 10)))[1]}</span>
                        {tg:from} → {tg:to}</a></li>
                    </xsl:for-each>
                  </ul>
                </xsl:when>
                <xsl:otherwise><span class="month-none">none in this edition</span></xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each>
          <xsl:variable name="undated" select="$month-pages[?key = 'undated']"/>
          <xsl:if test="exists($undated)">
            <li class="month">
              <span class="month-name">{$undated[1]?label}</span>
              <xsl:call-template name="month-page-links">
                <xsl:with-param name="pages" select="$undated"/>
              </xsl:call-template>
            </li>
          </xsl:if>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- A month of a paged correspondence on the timeline: how many documents, and a link to each of its pages. -->
  <xsl:template name="month-page-links">
    <xsl:param name="pages" as="map(*)*"/>
    <xsl:variable name="count" select="sum($pages ! count(?docs))"/>
    <span class="month-count">
      <xsl:text> </xsl:text>
      <a href="{$pages[1]?name}">{$count} {if ($count = 1) then 'document' else 'documents'}</a>
      <xsl:if test="count($pages) gt 1">
        <xsl:text>, pages</xsl:text>
        <xsl:for-each select="$pages">
          <xsl:text> </xsl:text><a href="{?name}">{?part}</a>
        </xsl:for-each>
      </xsl:if>
    </span>
  </xsl:template>

  <!-- The search page: Pagefind's index, queried by edition.js; without script or index it says so. -->
  <xsl:template name="search">
    <xsl:call-template name="page">
      <xsl:with-param name="title" select="'Search — ' || $edition-short-title"/>
      <xsl:with-param name="page-class" select="'search-page'"/>
      <xsl:with-param name="current" select="'search.html'"/>
      <xsl:with-param name="content">
        <header class="page-header">
          <h1>Search the edition</h1>
        </header>
        <xsl:choose>
          <xsl:when test="$search-available = 'yes'">
            <form class="search-form" role="search" action="search.html" method="get" data-search="pagefind/pagefind.js">
              <label for="search-input">Words to find in the texts and registers</label>
              <div class="search-row">
                <input type="search" id="search-input" name="q" autocomplete="off"/>
                <button type="submit">Search</button>
              </div>
            </form>
            <p class="search-status" id="search-status" role="status" aria-live="polite"></p>
            <!-- every form of every name in the registers: what "did you mean" suggests from -->
            <ul id="name-forms" hidden="hidden">
              <xsl:for-each-group select="$registers//(person | place | org | personGrp)/(persName | placeName | orgName | name)" group-by="tg:name-string(.)">
                <li><xsl:call-template name="lang"/>{current-grouping-key()}</li>
              </xsl:for-each-group>
            </ul>
            <ol class="search-results" id="search-results"></ol>
            <noscript><p class="notice">Search needs JavaScript. Every text is also listed on the
              <a href="index.html">home page</a> and in the registers.</p></noscript>
          </xsl:when>
          <xsl:otherwise>
            <p class="notice" id="search-unavailable">Search is unavailable in this build: the Pagefind indexer was not
              found when the site was built. Every text is listed on the <a href="index.html">home page</a>, and the
              registers list every mention of a person, place or organisation.</p>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
