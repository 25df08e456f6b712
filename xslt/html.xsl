<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared by the HTML pages: the page frame (head, site header, footer) and the rendering of TEI text into HTML.

  Any TEI P5 element renders: the ones this edition uses get their own markup; any other element falls back to
  its content, so no text of a foreign TEI document is lost.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tg="urn:telegrams:edition"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:import href="common.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" use-character-maps="unsafe-characters"/>



  <!-- "yes" when the search bundle (pagefind/) is built: the search page then loads it. -->
  <xsl:param name="search-available" as="xs:string" select="'no'"/>

  <!-- ===== the page frame ===== -->

  <!-- A page: its head, the site's header, the content, the site's footer. The content, given as a parameter, is
       built as a tree and then copied; a page made in great numbers (telegram.xsl) writes the frame itself from
       the three parts below, so that its content goes straight to the output. -->
  <xsl:template name="page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="page-class" as="xs:string"/>
    <xsl:param name="current" as="xs:string" select="''"/>
    <xsl:param name="description" as="xs:string" select="''"/>
    <xsl:param name="content" as="item()*"/>
    <html lang="en">
      <xsl:call-template name="page-head">
        <xsl:with-param name="title" select="$title"/>
        <xsl:with-param name="description" select="$description"/>
      </xsl:call-template>
      <body class="{$page-class}">
        <xsl:call-template name="page-top">
          <xsl:with-param name="current" select="$current"/>
        </xsl:call-template>
        <main id="main" tabindex="-1">
          <xsl:sequence select="$content"/>
        </main>
        <xsl:call-template name="page-bottom"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="page-head">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="description" as="xs:string" select="''"/>
    <head>
      <meta charset="utf-8"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <!-- only the site's own files: no inline script, no other origin; Pagefind needs WebAssembly -->
      <meta http-equiv="Content-Security-Policy"
            content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'"/>
      <title>{$title}</title>
      <xsl:if test="$description">
        <meta name="description" content="{normalize-space($description)}"/>
      </xsl:if>
      <link rel="icon" href="data:,"/>
      <link rel="stylesheet" href="assets/edition.css"/>
      <script src="assets/edition.js" defer="defer"></script>
    </head>
  </xsl:template>

  <!-- The skip link and the site's header, with the page `current` marked in the navigation. -->
  <xsl:template name="page-top">
    <xsl:param name="current" as="xs:string" select="''"/>
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="site-header" data-pagefind-ignore="all">
      <div class="site-header-inner">
        <p class="site-title"><a href="index.html">{$edition-title}</a></p>
        <nav class="site-nav" aria-label="Edition">
          <ul>
            <xsl:for-each select="(['index.html', 'Contents'], ['persons.html', 'Persons'], ['places.html', 'Places'],
                                   ['organisations.html', 'Organisations'], ['search.html', 'Search'])">
              <li>
                <a href="{?1}"><xsl:if test="?1 = $current"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>{?2}</a>
              </li>
            </xsl:for-each>
          </ul>
        </nav>
      </div>
    </header>
  </xsl:template>

  <xsl:template name="page-bottom">
    <footer class="site-footer" data-pagefind-ignore="all">
      <p>{$edition-title}. A digital scholarly edition in TEI P5. Encoding, notes and registers: CC BY 4.0;
            the English translations are those of the Wilson Center Digital Archive.</p>
      <p>Static edition: no tracking, no external resources. The TEI sources of every text can be downloaded from its page.</p>
    </footer>
  </xsl:template>

  <!-- ===== blocks ===== -->

  <xsl:template match="text | front | body | back | group">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="div | div1 | div2 | div3 | div4 | div5">
    <section class="div{@type ! (' div-' || .)}">
      <xsl:call-template name="lang"/>
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <xsl:template match="head">
    <!-- h2 under the page's h1, one level deeper only for each enclosing section that has a heading of its own -->
    <xsl:variable name="depth" select="min((count((ancestor::div | ancestor::div1 | ancestor::div2 | ancestor::div3
                                                  | ancestor::floatingText)[head][not(. is current()/..)]) + 2, 6))"/>
    <xsl:element name="{if (parent::list or parent::table or parent::lg or parent::figure) then 'p' else 'h' || $depth}">
      <xsl:attribute name="class" select="'head' || (@type ! (' head-' || .))"/>
      <xsl:attribute name="id" select="tg:block-id(.)"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="p | ab">
    <p class="{local-name()}{@type ! (' ' || local-name(..) || '-' || .)}">
      <xsl:if test="ancestor::text"><xsl:attribute name="id" select="tg:block-id(.)"/></xsl:if>
      <xsl:call-template name="lang"/>
      <xsl:call-template name="spaced"/>
    </p>
  </xsl:template>

  <!-- Paragraphs inside notes and other phrase-level places must not become nested <p>. -->
  <xsl:template match="note//p | note//ab">
    <span class="para">
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="opener | closer | postscript | argument | epigraph | byline | docAuthor | docDate | docImprint
                       | titlePage | titlePart | docTitle">
    <div class="{local-name()}">
      <xsl:if test="(self::opener or self::closer) and ancestor::text"><xsl:attribute name="id" select="tg:block-id(.)"/></xsl:if>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="dateline | salute | signed | address | addrLine">
    <span class="line {local-name()}{@type ! (' ' || local-name(..) || '-' || .)}">
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="list">
    <xsl:variable name="ordered" select="@type = ('ordered', 'numbered') or @rend = ('numbered', 'ordered')"/>
    <xsl:apply-templates select="head"/>
    <xsl:element name="{if ($ordered) then 'ol' else 'ul'}">
      <xsl:attribute name="class" select="'list' || (@type ! (' list-' || .))"/>
      <xsl:apply-templates select="* except head"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="item">
    <li id="{tg:block-id(.)}">
      <xsl:apply-templates/>
    </li>
  </xsl:template>

  <xsl:template match="list/label">
    <li class="label"><xsl:apply-templates/></li>
  </xsl:template>

  <xsl:template match="lg">
    <div class="lg" id="{tg:block-id(.)}"><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="l">
    <span class="line l"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="table">
    <table class="table">
      <xsl:if test="head"><caption><xsl:apply-templates select="head/node()"/></caption></xsl:if>
      <tbody><xsl:apply-templates select="row"/></tbody>
    </table>
  </xsl:template>

  <xsl:template match="row">
    <tr><xsl:apply-templates select="cell"/></tr>
  </xsl:template>

  <xsl:template match="cell">
    <xsl:element name="{if (../@role = 'label' or @role = 'label') then 'th' else 'td'}">
      <xsl:if test="@cols"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
      <xsl:if test="@rows"><xsl:attribute name="rowspan" select="@rows"/></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="figure">
    <figure class="figure">
      <xsl:apply-templates select="* except (head | figDesc)"/>
      <xsl:if test="head | figDesc">
        <!-- each heading and description its own line of the caption -->
        <figcaption>
          <xsl:for-each select="head | figDesc">
            <span class="caption-part"><xsl:apply-templates/></span>
          </xsl:for-each>
        </figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <!-- A telegram quoted inside another: its own framed section, its structure kept. -->
  <xsl:template match="floatingText">
    <section class="embedded{@type ! (' embedded-' || .)}" aria-label="Quoted text">
      <xsl:call-template name="lang"/>
      <xsl:variable name="described" select="tg:decls(.)"/>
      <p class="embedded-label">
        <span class="embedded-kind">{if (@type = 'telegram') then 'Quoted telegram' else 'Quoted text'}</span>
        <xsl:for-each select="$described">
          <xsl:text>: </xsl:text>
          <xsl:variable name="from" select="tg:party(correspAction[@type = 'sent'])"/>
          <xsl:variable name="to" select="tg:party(correspAction[@type = 'received'])"/>
          <xsl:value-of select="string-join(($from[.], $to[.] ! ('to ' || .)), ' ')
                                || (correspAction[@type = 'sent']/date ! (', ' || tg:date-label(.)))"/>
        </xsl:for-each>
      </p>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <xsl:template match="quote[p | ab | lg | list | floatingText] | q[p | ab | lg | list | floatingText] | cit[quote/p]">
    <blockquote><xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if><xsl:apply-templates/></blockquote>
  </xsl:template>

  <!-- Markings of the telegram form (stamps, registry notes) stand apart from the text. -->
  <xsl:template match="fw | stamp[not(ancestor::p)]">
    <span class="{local-name()}{@type ! (' ' || local-name(..) || '-' || .)}"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- ===== phrase level: names, dates, numbers ===== -->

  <xsl:template match="persName | placeName | orgName | name | rs | geogName | settlement | country | region
                       | repository | author[@ref] | term[@ref]">
    <xsl:variable name="entry" select="tg:entry(@ref)"/>
    <xsl:variable name="kind" select="if ($entry) then local-name($entry)
                                      else if (self::placeName or self::geogName or self::settlement or self::country
                                               or self::region) then 'place'
                                      else if (self::orgName or self::repository) then 'org'
                                      else if (self::persName) then 'person' else 'name'"/>
    <xsl:variable name="id" select="if (@ref and ancestor::text) then tg:mention-id(.) else ()"/>
    <xsl:choose>
      <xsl:when test="$entry">
        <a class="name name-{$kind}" href="{tg:register-page($entry)}#{$entry/@xml:id}"
           title="{tg:entry-label($entry)}">
          <xsl:if test="$id"><xsl:attribute name="id" select="$id"/></xsl:if>
          <xsl:call-template name="spaced"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="name name-{$kind}">
          <xsl:if test="$id"><xsl:attribute name="id" select="$id"/></xsl:if>
          <xsl:call-template name="spaced"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="date | time">
    <xsl:variable name="datetime" select="tg:datetime(.)"/>
    <xsl:element name="{if ($datetime) then 'time' else 'span'}">
      <xsl:attribute name="class" select="'date'"/>
      <xsl:if test="$datetime"><xsl:attribute name="datetime" select="$datetime"/></xsl:if>
      <xsl:if test="@when or @from or @to or @notBefore or @notAfter">
        <xsl:attribute name="title" select="tg:date-label(.)"/>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="num">
    <span class="num">
      <xsl:if test="@value">
        <xsl:attribute name="data-value" select="@value"/>
        <xsl:attribute name="title" select="tg:format-number(@value)"/>
      </xsl:if>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="measure">
    <span class="measure">
      <xsl:if test="@quantity">
        <xsl:attribute name="title" select="tg:format-number(@quantity) || (@unit ! (' ' || . || (if (../@quantity = '1') then '' else 's'))) || (@commodity ! (': ' || .))"/>
      </xsl:if>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="idno">
    <span class="idno{@type ! (' idno-' || .)}"><xsl:apply-templates/></span>
  </xsl:template>

  <!-- ===== editorial interventions: both readings are in the page; the view controls show one ===== -->

  <xsl:template match="choice">
    <span class="choice">
      <xsl:apply-templates select="sic | orig | abbr | corr | reg | expan | seg"/>
    </span>
  </xsl:template>

  <xsl:template match="choice/sic | choice/orig | choice/abbr">
    <!-- search indexes the normalized reading only -->
    <span class="dipl {local-name()}" title="{local-name()}: as in the source" data-pagefind-ignore="">
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="choice/corr | choice/reg | choice/expan">
    <span class="norm {local-name()}" title="{local-name()}: {if (self::corr) then 'corrected by the editors'
                                               else 'normalized'}; the source reads “{normalize-space(../(sic | orig | abbr)[1])}”">
      <xsl:apply-templates/>
    </span>
    <!-- a correction is said in words too, in the list under the notes: the marker leads there (after the word, when
         the correction is part of one) -->
    <xsl:if test="self::corr and not(tg:word-goes-on(..))"><xsl:call-template name="corr-ref"/></xsl:if>
  </xsl:template>

  <xsl:template name="corr-ref">
    <xsl:param name="choice" as="element()" select=".."/>
    <xsl:variable name="n" select="index-of(tg:corrections(root($choice)) ! generate-id(.), generate-id($choice))[1]"/>
    <xsl:if test="exists($n)">
      <a class="corr-ref" href="#corr{$n}" id="corrref{$n}" lang="en" aria-label="Correction {$n}" data-pagefind-ignore="">corr.</a>
    </xsl:if>
  </xsl:template>

  <xsl:template match="text()[preceding-sibling::node()[1][self::choice][tg:word-goes-on(.)]]" priority="3">
    <xsl:variable name="text" select="tg:joined(.)"/>
    <xsl:variable name="word" select="string(tokenize($text, '\s')[1])"/>
    <xsl:value-of select="$word"/>
    <xsl:call-template name="corr-ref"><xsl:with-param name="choice" select="preceding-sibling::node()[1]"/></xsl:call-template>
    <xsl:value-of select="substring($text, string-length($word) + 1)"/>
  </xsl:template>

  <!-- The editors' corrections a page shows, in page order: the summary's, then the text's. -->
  <xsl:function name="tg:corrections" as="element()*" cache="yes">
    <xsl:param name="doc" as="node()"/>
    <xsl:sequence select="(tg:summary($doc)//choice[corr][sic], root($doc)/*/text//choice[corr][sic])"/>
  </xsl:function>

  <xsl:template name="corrections">
    <xsl:variable name="corrections" select="tg:corrections(.)"/>
    <xsl:if test="exists($corrections)">
      <section class="notes corrections" aria-labelledby="corrections-heading" lang="en">
        <h2 id="corrections-heading">Corrections</h2>
        <ol class="corrections-list">
          <xsl:for-each select="$corrections">
            <li id="corr{position()}">
              <xsl:variable name="lang" select="string(ancestor-or-self::*[@xml:lang][1]/@xml:lang)"/>
              <span class="corr-label"><xsl:if test="tg:lang-ok($lang)"><xsl:attribute name="lang" select="$lang"/></xsl:if>{tg:reading(corr)}</span>: the source reads “<span><xsl:if test="tg:lang-ok($lang)"><xsl:attribute name="lang" select="$lang"/></xsl:if>{normalize-space(string-join(sic//text()))}</span>”;
              {tg:intervention-label(corr, 'corrected')}.
              <a class="backref" href="#corrref{position()}" aria-label="Back to correction {position()}">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="sic[not(parent::choice)]">
    <span class="sic-alone" title="thus in the source"><xsl:apply-templates/><span class="dipl-mark"> [sic]</span></span>
  </xsl:template>

  <xsl:template match="supplied">
    <span class="supplied" title="{tg:intervention-label(., 'supplied')}">[<xsl:apply-templates/>]</span>
  </xsl:template>

  <!-- A gap the source marks ("[signature]") shows as it does; a part the source does not give is the editors' remark. -->
  <xsl:template match="gap">
    <xsl:variable name="what" select="normalize-space(string-join((desc, @reason[not(../desc)] ! translate(., '-', ' ')), ' '))"/>
    <span class="gap{if (@reason = 'not-in-source') then ' editorial' else ''}"
          title="{string-join(('omitted', @reason ! translate(., '-', ' '), @quantity ! (. || ' ' || ../@unit)), ' ')}">
      <xsl:for-each select="(desc/@xml:lang, if (@reason = 'not-in-source') then 'en' else ())[1]"><xsl:attribute name="lang" select="."/></xsl:for-each>[<xsl:call-template name="lang-runs">
        <xsl:with-param name="text" select="($what[.], '…')[1]"/><xsl:with-param name="context" select="(desc, .)[1]"/></xsl:call-template>]</span>
  </xsl:template>

  <xsl:template match="unclear">
    <span class="unclear" title="unclear in the source"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="del">
    <del><xsl:apply-templates/></del>
  </xsl:template>

  <xsl:template match="add">
    <ins><xsl:apply-templates/></ins>
  </xsl:template>

  <xsl:function name="tg:intervention-label" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:param name="what" as="xs:string"/>
    <xsl:variable name="resp" select="tg:resp-name($element)"/>
    <xsl:sequence select="$what || (if ($resp) then ' by ' || $resp else '')
                          || ($element/@reason ! (' (' || translate(., '-', ' ') || ')'))"/>
  </xsl:function>

  <!-- Who made an intervention: the respStmt or name @resp points to, in words. -->
  <xsl:function name="tg:resp-name" as="xs:string?">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="id" select="tg:target-id($element/@resp)"/>
    <xsl:variable name="target" select="if ($id) then key('id', $id, root($element))[1] else ()"/>
    <xsl:sequence select="if ($target/self::respStmt) then normalize-space(($target/(orgName | persName | name))[1])
                          else if ($target) then normalize-space($target) else ()"/>
  </xsl:function>

  <!-- ===== notes: a marker in the text, the note in the notes section ===== -->

  <!-- A note placed inline (the translator's "[Stamp: …]") is part of the text as the source gives it. -->
  <xsl:template match="note[@place = 'inline'][ancestor::text]" priority="1">
    <span class="inline-note{@type ! (' note-' || .)}" title="{tg:intervention-label(., 'note')}">[<xsl:apply-templates/>]</span>
  </xsl:template>

  <xsl:template match="note[ancestor::text]">
    <xsl:variable name="n" select="tg:note-number(.)"/>
    <a class="noteref{if (tg:is-editorial(.)) then ' editorial' else ''}" href="#note{$n}" id="noteref{$n}"
       role="doc-noteref" aria-label="Note {$n}" lang="en" data-pagefind-ignore=""><sup>{$n}</sup></a>
  </xsl:template>

  <xsl:function name="tg:is-editorial" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note/@type = ('editorial', 'commentary') or exists($note/@resp)"/>
  </xsl:function>

  <xsl:template name="notes">
    <xsl:param name="text" as="element()?"/>
    <xsl:variable name="notes" select="$text//note[not(ancestor::note)][not(@place = 'inline')]"/>
    <xsl:if test="$notes">
      <section class="notes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes</h2>
        <ol class="note-list">
          <xsl:for-each select="tg:in-reading-order($notes)">
            <xsl:variable name="n" select="tg:note-number(.)"/>
            <li id="note{$n}" value="{$n}" class="{if (tg:is-editorial(.)) then 'editorial' else 'source'}">
              <xsl:apply-templates/>
              <xsl:text> </xsl:text>
              <span class="note-resp">{tg:resp-name(.) ! ('— ' || .)}</span>
              <a class="backref" href="#noteref{$n}" aria-label="Back to the text of note {$n}">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- A summary's notes are the editors' caveats, shown apart from it (telegram.xsl), never run into it. -->
  <xsl:template match="abstract//note | sourceDesc//note[@type = 'summary']//note" priority="3"/>

  <!-- Inside a note, nested notes and paragraphs render inline. -->
  <xsl:template match="note//note" priority="2">
    <span class="inner-note">(<xsl:apply-templates/>)</span>
  </xsl:template>

  <!-- ===== other phrase-level elements ===== -->

  <xsl:template match="hi | emph">
    <xsl:variable name="rend" select="string(@rend)"/>
    <xsl:element name="{if (self::emph or contains($rend, 'italic')) then 'em'
                        else if (contains($rend, 'bold')) then 'strong'
                        else if (contains($rend, 'sup')) then 'sup' else if (contains($rend, 'sub')) then 'sub'
                        else 'span'}">
      <xsl:if test="$rend"><xsl:attribute name="class" select="'hi ' || $rend"/></xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="foreign | mentioned | term | distinct | gloss">
    <span class="{local-name()}">
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="title">
    <cite class="title"><xsl:apply-templates/></cite>
  </xsl:template>

  <xsl:template match="q | quote | said | soCalled">
    <q class="{local-name()}"><xsl:apply-templates/></q>
  </xsl:template>

  <xsl:template match="seg | s | cl | phr | w | c | pc | stamp | signed//seg | measureGrp | roleName | forename
                       | surname | addName | genName | nameLink">
    <span class="{local-name()}{@type ! (' ' || local-name(..) || '-' || .)}">
      <xsl:call-template name="lang"/>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="ref[normalize-space(@target)] | ptr[normalize-space(@target)]">
    <xsl:variable name="target" select="tokenize(normalize-space(@target), ' ')[1]"/>
    <xsl:variable name="href" select="tg:href($target, .)"/>
    <!-- in the editors' prose, a ref whose words are a document's file name is already that document's link
         (link-files): no link in a link -->
    <xsl:variable name="file-named" select="exists(ancestor::note | ancestor::correspDesc
            | ancestor::text[@type = ('introduction', 'commentary')])
        and exists(if ($catalogue) then key('catalogue-file', normalize-space(.), $catalogue) else ())"/>
    <xsl:choose>
      <xsl:when test="$href and not($file-named)">
        <a class="{local-name()}" href="{$href}">
          <xsl:apply-templates/>
          <xsl:if test="self::ptr or not(normalize-space(.))">{$target}</xsl:if>
        </a>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A pointer that resolves inside the site or to the web; anything else stays plain text. -->
  <xsl:function name="tg:href" as="xs:string?">
    <xsl:param name="target" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <!-- a local pointer resolves only to an element rendered with its xml:id as the HTML id -->
    <xsl:variable name="local" select="if (starts-with($target, '#'))
        then key('id', substring($target, 2), root($context))[self::div or self::p or self::ab or self::head
             or self::item or self::opener or self::closer or self::lg][ancestor::text] else ()"/>
    <xsl:variable name="file" select="if (contains($target, '#')) then substring-before($target, '#') else $target"/>
    <xsl:variable name="fragment" select="substring-after($target, '#')"/>
    <xsl:variable name="doc-file" select="replace($file, '^(\./|\.\./tei/)', '')"/>
    <xsl:variable name="known" select="if ($catalogue) then key('catalogue-file', $doc-file, $catalogue)/@id ! string() else ()"/>
    <xsl:sequence select="
      if (matches($target, '^https?://')) then $target
      else if (exists($local)) then $target
      else if ($doc-file = 'registers.xml' and tg:entry($target)) then tg:register-page(tg:entry($target)) || '#' || $fragment
      else if (exists($known)) then $known[1] || '.html' || ($fragment[.] ! ('#' || .))
      else ()"/>
  </xsl:function>

  <!-- In the editors' prose a document of the edition named by its file ("tg-1951-06-05-mao-stalin.xml") is a link
       to its page, titled as readers know it. -->
  <xsl:template match="note//text() | correspDesc//text() | text[@type = ('introduction', 'commentary')]//text()"
                mode="#default panel">
    <xsl:choose>
      <xsl:when test="contains(., '.xml')">
        <xsl:call-template name="link-files"><xsl:with-param name="text" select="."/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="lang-runs"><xsl:with-param name="text" select="."/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="link-files">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="context" as="node()" select="."/>
    <xsl:analyze-string select="$text" regex="[A-Za-z0-9][A-Za-z0-9._\-]*\.xml">
      <xsl:matching-substring>
        <xsl:variable name="doc" select="if ($catalogue) then key('catalogue-file', ., $catalogue)[1] else ()"/>
        <xsl:choose>
          <xsl:when test="$doc"><a class="doc-link" href="{$doc/@id}.html">{($doc/tg:short-title[normalize-space()], $doc/@id)[1]}</a></xsl:when>
          <xsl:otherwise>{.}</xsl:otherwise>
        </xsl:choose>
      </xsl:matching-substring>
      <xsl:non-matching-substring>
        <xsl:call-template name="lang-runs"><xsl:with-param name="text" select="."/><xsl:with-param name="context" select="$context"/></xsl:call-template>
      </xsl:non-matching-substring>
    </xsl:analyze-string>
  </xsl:template>

  <!-- Cyrillic runs in prose of another language, marked with the edition's Cyrillic-script language. -->
  <xsl:template name="lang-runs">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="context" as="node()" select="."/>
    <xsl:variable name="here" select="string(($context/ancestor-or-self::*[@xml:lang][1]/@xml:lang, 'en')[1])"/>
    <xsl:choose>
      <xsl:when test="$cyrillic-language and not(starts-with($here, $cyrillic-language))
                      and (some $c in string-to-codepoints($text) satisfies ($c ge 1024 and $c le 1327))">
        <xsl:analyze-string select="$text" regex="[&#x0400;-&#x052F;][&#x0400;-&#x052F;\s\-.,…]*[&#x0400;-&#x052F;]|[&#x0400;-&#x052F;]">
          <xsl:matching-substring><span lang="{$cyrillic-language}">{.}</span></xsl:matching-substring>
          <xsl:non-matching-substring>{.}</xsl:non-matching-substring>
        </xsl:analyze-string>
      </xsl:when>
      <xsl:otherwise>{$text}</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="lb">
    <br/>
  </xsl:template>

  <!-- A line break inside a word: the word is read whole; the whitespace of the layout beside it goes. -->
  <xsl:template match="lb[tg:in-word(.)]"/>
  <xsl:template match="text()[preceding-sibling::node()[1][self::lb or self::cb or self::pb][tg:in-word(.)]
                       or following-sibling::node()[1][self::lb or self::cb or self::pb][tg:in-word(.)]]" priority="2">
    <xsl:value-of select="tg:joined(.)"/>
  </xsl:template>

  <xsl:template match="pb">
    <span class="pb" title="page break" lang="en">[{if (@n) then 'sheet ' || @n else 'page break'}]</span>
  </xsl:template>

  <!-- A page break inside a word: the style sheet draws the marker, so the word reads (and is found, copied, spoken)
       whole. -->
  <xsl:template match="pb[tg:in-word(.)]">
    <span class="pb pb-in-word" lang="en" title="page break inside the word{@n ! (': sheet ' || .)}"
          data-label="{if (@n) then 'sheet ' || @n else 'page break'}"></span>
  </xsl:template>

  <!-- An image is not fetched (the site loads nothing from elsewhere): said where it stands. -->
  <xsl:template match="graphic | media | binaryObject">
    <span class="marker" lang="en">[{if (self::binaryObject) then 'embedded ' || (if (starts-with(@mimeType, 'image')) then 'image' else 'file')
                          else if (self::media) then 'media' else 'image'}{@url ! (': ' || tokenize(., '/')[last()])}]</span>
    <!-- what the image shows, in words, stands beside its marker -->
    <xsl:for-each select="desc">
      <xsl:text> </xsl:text><span class="desc"><xsl:call-template name="lang"/><xsl:apply-templates/></span>
    </xsl:for-each>
  </xsl:template>

  <!-- ===== apparatus, lists of persons and places, code, speeches ===== -->

  <!-- The lemma in the text, the readings after it with their witnesses: "quickly [slowly B]". -->
  <xsl:template match="app">
    <span class="app">
      <span class="lem"><xsl:apply-templates select="(lem, rdg)[1]/node()"/></span>
      <xsl:variable name="others" select="(rdg | rdgGrp/rdg) except (lem, rdg)[1]"/>
      <span class="rdgs" lang="en">
        <xsl:text> [</xsl:text>
        <xsl:for-each select="(lem, rdg)[1][@wit], $others">
          <xsl:if test="position() gt 1">; </xsl:if>
          <xsl:if test="not(self::lem) and not(. is (current()/(lem, rdg))[1])"><span class="rdg"><xsl:apply-templates/></span><xsl:text> </xsl:text></xsl:if>
          <span class="wit">{tg:witnesses(.)}</span>
        </xsl:for-each>
        <xsl:text>]</xsl:text>
      </span>
    </span>
  </xsl:template>

  <xsl:template match="listPerson | listPlace | listOrg | listEvent | listNym | listObject | listBibl">
    <xsl:apply-templates select="head"/>
    <ul class="entity-list">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:for-each select="* except head">
        <li><xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if><xsl:call-template name="spaced"/></li>
      </xsl:for-each>
    </ul>
  </xsl:template>

  <xsl:template match="code">
    <code><xsl:apply-templates/></code>
  </xsl:template>

  <xsl:template match="eg">
    <pre class="eg"><code><xsl:apply-templates/></code></pre>
  </xsl:template>

  <!-- An encoded example (TEI's Examples namespace) is shown as the markup it is. -->
  <xsl:template match="*:egXML">
    <pre class="egxml"><code>{tg:markup(.)}</code></pre>
  </xsl:template>

  <!-- Inside a line of text, it stays in the line (a <pre> would end the paragraph). -->
  <xsl:template match="*:egXML[../text()[normalize-space()]]">
    <code class="egxml">{tg:markup(.)}</code>
  </xsl:template>

  <!-- A formula in MathML is HTML's own: the browser sets it. -->
  <xsl:template match="Q{http://www.w3.org/1998/Math/MathML}math">
    <xsl:copy-of select="." copy-namespaces="no"/>
  </xsl:template>

  <!-- A substitution is one reading place: the added and the deleted letters stand where they are, unspaced. -->
  <xsl:template match="subst">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- What happens in speech without words (an incident, a gesture, a pause) is said in brackets. -->
  <xsl:template match="incident | kinesic | vocal | pause | shift">
    <span class="event {local-name()}" lang="en">[{(normalize-space(desc)[.], local-name())[1]}]</span>
  </xsl:template>

  <xsl:template match="sp">
    <div class="sp"><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="speaker">
    <p class="speaker"><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="cb | milestone | anchor | figDesc | index | interp | interpGrp
                       | link | linkGrp | join | joinGrp | alt | altGrp | span | spanGrp | certainty | precision
                       | respons | fsDecl | fs | f | fLib | fvLib | timeline | when | witDetail">
    <!-- apparatus and links: nothing to read; if they hold words after all, say that something is not shown -->
    <xsl:if test="normalize-space(.) and not(self::figDesc)">
      <span class="marker" lang="en">[{local-name()}: not shown]</span>
    </xsl:if>
  </xsl:template>

  <!-- Anything else: its content, so no text of a foreign TEI document is lost; children that are all elements
       (a tree's labels, a person's names and dates) are kept apart by a space. -->
  <xsl:template match="*" priority="-1">
    <xsl:call-template name="spaced"/>
  </xsl:template>

  <xsl:template name="spaced">
    <xsl:choose>
      <xsl:when test="text()[normalize-space()]"><xsl:apply-templates/></xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="node()">
          <xsl:if test="self::* and preceding-sibling::node()[not(self::comment() or self::processing-instruction())][1][self::*]">
            <xsl:text> </xsl:text>
          </xsl:if>
          <xsl:apply-templates select="."/>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="teiHeader | standOff | facsimile | sourceDoc" priority="-0.5"/>

  <xsl:template name="lang">
    <xsl:if test="tg:lang-ok(@xml:lang)">
      <xsl:attribute name="lang" select="@xml:lang"/>
    </xsl:if>
  </xsl:template>

  <!-- ===== metadata rendered for readers: a correspondent's action, a source record ===== -->

  <!-- A name in metadata: linked to its register entry (no mention id: mentions are counted in the text only). -->
  <xsl:template match="*" mode="meta-name">
    <xsl:variable name="entry" select="tg:entry(@ref)"/>
    <xsl:choose>
      <xsl:when test="$entry">
        <a class="name name-{local-name($entry)}" href="{tg:register-page($entry)}#{$entry/@xml:id}"
           title="{tg:entry-label($entry)}">{normalize-space(.)}</a>
      </xsl:when>
      <xsl:otherwise>{normalize-space(.)}</xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
