<?xml version="1.0" encoding="UTF-8"?>
<!--
  One page per document: the text (diplomatic and normalized readings, notes), the transmission panel built from
  correspDesc and the telegram's own markings, the source record, citation and downloads, previous/next.
  Works for any TEI P5 document; telegram-specific parts appear only when the document has them.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tg="urn:telegrams:edition"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all"
    expand-text="yes">

  <xsl:import href="html.xsl"/>

  <!-- Where the site is published, for permalinks; empty means "relative to this page". -->
  <xsl:param name="base-url" as="xs:string" select="''"/>

  <!-- The telegram's own markings that belong to its transmission rather than to its message, with their labels. -->
  <xsl:variable name="marking-labels" as="map(xs:string, xs:string)"
      select="map{'series': 'Series', 'priority': 'Priority', 'marking': 'Marking', 'handling': 'Handling',
                  'stamp': 'Stamp', 'verification': 'Verification'}"/>

  <xsl:template match="/">
    <xsl:variable name="doc" select="."/>
    <xsl:variable name="id" select="tg:id(.)"/>
    <xsl:variable name="kind" select="tg:kind(.)"/>
    <xsl:variable name="same" select="tg:same-title(.)[.] ! (' (' || . || ')')"/>
    <!-- html.xsl's page frame, written here part by part: a parameter would build the page as a tree, then copy it
         (a fifth of this stylesheet's time) -->
    <html lang="en">
      <xsl:call-template name="page-head">
        <xsl:with-param name="title" select="tg:short-title(.) || $same || ' — ' || $edition-short-title"/>
        <xsl:with-param name="description" select="tg:reading(tg:summary(.))"/>
      </xsl:call-template>
      <body class="doc-page kind-{$kind}">
        <xsl:call-template name="page-top"/>
        <main id="main" tabindex="-1">
          <article class="document" aria-labelledby="doc-title">
            <xsl:call-template name="doc-header"/>
            <div class="doc-layout">
              <div class="reading">
                <xsl:call-template name="view-controls"/>
                <div class="text-body" data-pagefind-body="">
                  <xsl:if test="*/text/@xml:lang"><xsl:attribute name="lang" select="*/text/@xml:lang"/></xsl:if>
                  <span hidden="hidden" data-pagefind-meta="title">{tg:short-title(.)}{$same}</span>
                  <xsl:call-template name="name-forms"/>
                  <xsl:apply-templates select="*/text"/>
                </div>
                <xsl:call-template name="notes">
                  <xsl:with-param name="text" select="*/text"/>
                </xsl:call-template>
                <xsl:call-template name="corrections"/>
              </div>
              <aside class="apparatus" aria-label="About this document" data-pagefind-ignore="all">
                <xsl:call-template name="transmission"/>
                <xsl:call-template name="related"/>
                <xsl:call-template name="source"/>
                <xsl:call-template name="cite"/>
              </aside>
            </div>
            <xsl:call-template name="prev-next"/>
          </article>
        </main>
        <xsl:call-template name="page-bottom"/>
      </body>
    </html>
  </xsl:template>

  <!-- For search only: every form the registers record for each entry the text names (spellings, cover names,
       other scripts), with the forms this text writes, so that "Sushchev" finds the telegram that writes "Сущев". -->
  <xsl:template name="name-forms">
    <xsl:variable name="mentions" select="*/text//*[@ref][exists(tg:entry(@ref))]"/>
    <xsl:if test="$mentions">
      <div hidden="hidden" class="name-forms" data-pagefind-weight="0.5">
        <xsl:for-each-group select="$mentions" group-by="generate-id(tg:entry(@ref))">
          <xsl:variable name="entry" select="tg:entry(@ref)"/>
          <p>
            <xsl:for-each-group select="$entry/(persName | placeName | orgName | name | geogName)" group-by="tg:name-string(.)">
              <xsl:if test="position() gt 1">, </xsl:if>
              <span><xsl:call-template name="lang"/>{current-grouping-key()}</span>
            </xsl:for-each-group>
            <xsl:text> (written here: </xsl:text>
            <xsl:call-template name="lang-runs">
              <xsl:with-param name="text" select="string-join(distinct-values(current-group() ! tg:reading(.)), ', ')"/>
            </xsl:call-template>)</p>
        </xsl:for-each-group>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- ===== header ===== -->

  <xsl:template name="doc-header">
    <header class="doc-header">
      <p class="doc-kind">
        {tg:kind-label(tg:kind(.), false())}
        <xsl:for-each select="(*/text//idno[@type = ('telegram', 'cipher', 'incoming')])[1]"> · No. {normalize-space(.)}</xsl:for-each>
      </p>
      <h1 id="doc-title">
        <xsl:if test="string-length(tg:title(.)) gt 70 and not(tg:is-correspondence(.) and tg:received(.))">
          <xsl:attribute name="class" select="'long-title'"/>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="tg:is-correspondence(.) and tg:received(.)">
            <xsl:call-template name="names"><xsl:with-param name="names" select="tg:sent(.)/(persName | orgName | name)"/></xsl:call-template>
            <span class="arrow" aria-label="to"> → </span>
            <xsl:call-template name="names"><xsl:with-param name="names" select="tg:received(.)/(persName | orgName | name)"/></xsl:call-template>
            <xsl:for-each select="tg:sent(.)/date[1]">
              <span class="h1-date">, {tg:date-label(.)}</span>
            </xsl:for-each>
          </xsl:when>
          <xsl:otherwise>{tg:title(.)}</xsl:otherwise>
        </xsl:choose>
        <!-- one of several documents with this heading (two telegrams of a day between the same people) -->
        <xsl:for-each select="tg:same-title(.)[.]"><span class="h1-same"> ({.})</span></xsl:for-each>
      </h1>
      <xsl:if test="tg:is-correspondence(.)">
        <p class="doc-dates">{string-join((tg:place(tg:sent(.)), tg:action-date(tg:sent(.)))[.], ', ')}</p>
        <p class="doc-fulltitle">{tg:title(.)}</p>
      </xsl:if>
      <!-- what the text is and where it comes from, when the editors say so: read before the text -->
      <xsl:for-each select="*/teiHeader/fileDesc/sourceDesc//note[@type = 'provenance']">
        <p class="provenance notice"><span class="caveat-label">Provenance:</span><xsl:text> </xsl:text><xsl:apply-templates mode="panel"/></p>
      </xsl:for-each>
      <xsl:variable name="elsewhere" select="tg:summary-elsewhere(.)"/>
      <xsl:for-each select="tg:summary(.)[normalize-space(tg:reading(.))]">
        <div class="summary">
          <p class="summary-label">
            <xsl:choose>
              <xsl:when test="$elsewhere">
                <xsl:variable name="other" select="if ($catalogue) then key('catalogue-file', $elsewhere, $catalogue)[1] else ()"/>
                <xsl:text>Summary of another document: </xsl:text>
                <xsl:choose>
                  <xsl:when test="$other"><a href="{$other/@id}.html">{$other/tg:short-title}</a></xsl:when>
                  <xsl:otherwise>{$elsewhere}</xsl:otherwise>
                </xsl:choose>
              </xsl:when>
              <xsl:otherwise>Summary</xsl:otherwise>
            </xsl:choose>
            <xsl:if test="@resp"> ({tg:resp-name(.)})</xsl:if>
          </p>
          <xsl:apply-templates/>
        </div>
      </xsl:for-each>
      <xsl:for-each select="tg:summary-caveats(.)">
        <div class="summary-caveat">
          <p><span class="caveat-label">Editors’ note on the summary:</span><xsl:text> </xsl:text><xsl:apply-templates/></p>
        </div>
      </xsl:for-each>
    </header>
  </xsl:template>

  <!-- Several names: "A, B and C", each linked to its register entry. -->
  <xsl:template name="names">
    <xsl:param name="names" as="element()*"/>
    <xsl:for-each select="$names">
      <xsl:if test="position() gt 1">{if (position() = last()) then ' and ' else ', '}</xsl:if>
      <xsl:apply-templates select="." mode="meta-name"/>
    </xsl:for-each>
  </xsl:template>

  <!-- Real form controls: they work without script (the stylesheet reads their state with :has()). -->
  <xsl:template name="view-controls">
    <form class="view-controls" aria-label="Display options" data-pagefind-ignore="all">
      <fieldset>
        <legend>Reading</legend>
        <label><input type="radio" name="view" id="view-normalized" value="normalized" checked="checked"/> Normalized</label>
        <label><input type="radio" name="view" id="view-diplomatic" value="diplomatic"/> Diplomatic (as in the source)</label>
      </fieldset>
      <fieldset>
        <legend>Show</legend>
        <label><input type="checkbox" id="show-notes" name="notes" checked="checked"/> Editorial notes</label>
        <label><input type="checkbox" id="show-marks" name="marks" checked="checked"/> Names, dates, numbers</label>
      </fieldset>
      <p class="legend" aria-hidden="true">
        <span class="name-person">person</span>
        <span class="name-place">place</span>
        <span class="name-org">organisation</span>
        <span class="date">date</span>
        <span class="num">number</span>
        <span class="supplied">[supplied]</span>
      </p>
    </form>
  </xsl:template>

  <!-- ===== parallel original and translation ===== -->

  <xsl:function name="tg:is-parallel" as="xs:boolean">
    <xsl:param name="body" as="element()"/>
    <xsl:sequence select="exists(tg:original-div($body))"/>
  </xsl:function>

  <!-- The pieces of a div tree, in order: every child that is not itself a div (the registry notes stay together). -->
  <xsl:function name="tg:blocks" as="element()*">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="for $child in $div/* return if ($child/self::div[not(@type = 'registry')]) then tg:blocks($child) else $child"/>
  </xsl:function>

  <xsl:function name="tg:aligned" as="xs:boolean">
    <xsl:param name="a" as="element()"/>
    <xsl:param name="b" as="element()"/>
    <xsl:sequence select="($a/@xml:id and (tokenize($b/@corresp, '\s+') ! tg:target-id(.)) = string($a/@xml:id))
                       or ($b/@xml:id and (tokenize($a/@corresp, '\s+') ! tg:target-id(.)) = string($b/@xml:id))"/>
  </xsl:function>

  <xsl:template match="body[tg:is-parallel(.)]">
    <xsl:variable name="original" select="tg:original-div(.)"/>
    <xsl:variable name="translation" select="tg:translation-div(.)"/>
    <xsl:variable name="o-all" select="tg:blocks($original)"/>
    <xsl:variable name="t-all" select="tg:blocks($translation)"/>
    <!-- What the original has before its first aligned block and first page break (a gap: "sheet 1 is missing")
         stands beside the translation's unaligned opening, so that it is said before the empty cells. -->
    <xsl:variable name="o-first" select="($o-all[self::pb or (some $t in $t-all satisfies tg:aligned(., $t))])[1]"/>
    <xsl:variable name="t-first" select="($t-all[some $o in $o-all satisfies tg:aligned($o, .)])[1]"/>
    <xsl:variable name="o-lead" select="if ($o-first and $t-first) then $o-all[. &lt;&lt; $o-first] else ()"/>
    <xsl:variable name="t-lead" select="if ($o-lead) then $t-all[. &lt;&lt; $t-first] else ()"/>
    <xsl:variable name="o-blocks" select="$o-all except $o-lead"/>
    <xsl:variable name="t-blocks" select="$t-all except $t-lead"/>
    <xsl:apply-templates select="*[. &lt;&lt; $original and . &lt;&lt; $translation]"/>
    <div class="parallel" role="group" aria-label="Original and translation, paragraph by paragraph">
      <div class="pair pair-head" aria-hidden="true">
        <p class="cell" lang="en">{tg:language-name($original/@xml:lang)} original</p>
        <p class="cell" lang="en">{tg:language-name($translation/@xml:lang)} translation</p>
      </div>
      <xsl:if test="$o-lead">
        <xsl:call-template name="pair">
          <xsl:with-param name="original" select="$o-lead"/>
          <xsl:with-param name="original-lang" select="$original/@xml:lang"/>
          <xsl:with-param name="translation" select="$t-lead"/>
          <xsl:with-param name="translation-lang" select="$translation/@xml:lang"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:iterate select="$t-blocks">
        <xsl:param name="emitted" as="element()*" select="()"/>
        <xsl:on-completion>
          <xsl:call-template name="pair">
            <xsl:with-param name="original" select="$o-blocks except $emitted"/>
            <xsl:with-param name="original-lang" select="$original/@xml:lang"/>
          </xsl:call-template>
        </xsl:on-completion>
        <xsl:variable name="block" select="."/>
        <xsl:variable name="partners" select="$o-blocks[tg:aligned(., $block)] except $emitted"/>
        <xsl:variable name="unpaired-before" select="if (empty($partners)) then ()
            else $o-blocks[. &lt;&lt; $partners[1]][not(some $t in $t-blocks satisfies tg:aligned(., $t))] except $emitted"/>
        <xsl:if test="$unpaired-before">
          <xsl:call-template name="pair">
            <xsl:with-param name="original" select="$unpaired-before"/>
            <xsl:with-param name="original-lang" select="$original/@xml:lang"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:call-template name="pair">
          <xsl:with-param name="original" select="$partners"/>
          <xsl:with-param name="original-lang" select="$original/@xml:lang"/>
          <xsl:with-param name="translation" select="$block"/>
          <xsl:with-param name="translation-lang" select="$translation/@xml:lang"/>
        </xsl:call-template>
        <xsl:next-iteration>
          <xsl:with-param name="emitted" select="$emitted | $unpaired-before | $partners"/>
        </xsl:next-iteration>
      </xsl:iterate>
    </div>
    <xsl:apply-templates select="* except ($original, $translation, *[. &lt;&lt; $original and . &lt;&lt; $translation])"/>
  </xsl:template>

  <xsl:template name="pair">
    <xsl:param name="original" as="element()*"/>
    <xsl:param name="original-lang" as="xs:string?"/>
    <xsl:param name="translation" as="element()*" select="()"/>
    <xsl:param name="translation-lang" as="xs:string?" select="'en'"/>
    <xsl:if test="$original or $translation">
      <div class="pair">
        <div class="cell cell-original{if (empty($original)) then ' cell-empty' else ''}" lang="{$original-lang}">
          <xsl:apply-templates select="$original"/>
        </div>
        <div class="cell cell-translation{if (empty($translation)) then ' cell-empty' else ''}" lang="{$translation-lang}">
          <xsl:apply-templates select="$translation"/>
        </div>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- ===== the transmission panel ===== -->

  <xsl:template name="transmission">
    <xsl:variable name="correspDesc" select="tg:correspDesc(.)"/>
    <xsl:variable name="text" select="*/text"/>
    <xsl:variable name="markings" select="$text//(seg | note | ab | stamp)[@type = map:keys($marking-labels)]
                                          [not(ancestor::floatingText)]"/>
    <xsl:if test="$correspDesc or $markings">
      <section class="panel transmission" aria-labelledby="transmission-heading">
        <h2 id="transmission-heading">Transmission</h2>
        <dl>
          <xsl:for-each select="$correspDesc/correspAction">
            <xsl:call-template name="action"/>
          </xsl:for-each>
          <xsl:for-each select="($text//idno[@type = 'outgoing'])[1]">
            <dt>Outgoing no.</dt>
            <dd>{normalize-space(.)}</dd>
          </xsl:for-each>
          <xsl:for-each select="($text//idno[@type = ('telegram', 'cipher', 'incoming')])[1]">
            <dt>Cipher no.</dt>
            <dd>{normalize-space(.)}</dd>
          </xsl:for-each>
          <xsl:call-template name="markings">
            <xsl:with-param name="markings" select="$markings[not(ancestor::div[@type = 'registry'])][not(self::note)]"/>
          </xsl:call-template>
          <xsl:for-each select="$text//seg[@type = 'distribution'][not(ancestor::floatingText)]">
            <dt>Distribution</dt>
            <dd><xsl:call-template name="marking-lang"/><xsl:apply-templates mode="panel"/></dd>
          </xsl:for-each>
          <xsl:call-template name="markings">
            <xsl:with-param name="markings" select="$markings[ancestor::div[@type = 'registry'] or self::note]"/>
          </xsl:call-template>
        </dl>
        <xsl:for-each select="$correspDesc/note">
          <p class="panel-note"><xsl:apply-templates mode="panel"/></p>
        </xsl:for-each>
        <xsl:for-each select="$text//floatingText[tg:decls(.)][not(tg:decls(.) is $correspDesc)]">
          <h3>Quoted telegram</h3>
          <dl>
            <xsl:for-each select="tg:decls(.)/correspAction">
              <xsl:call-template name="action"/>
            </xsl:for-each>
          </dl>
          <xsl:for-each select="tg:decls(.)/note">
            <p class="panel-note"><xsl:apply-templates mode="panel"/></p>
          </xsl:for-each>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ===== documents this one answers or cites, and those that answer or cite it ===== -->

  <!-- From this document's correspContext and pointers, and, the other way, from every other document's (the
       catalogue's relations): a reply encoded only in the answer still shows on the page of what it answers. -->
  <xsl:template name="related">
    <xsl:variable name="own" select="tg:correspDesc(.)/correspContext/(ref | ptr)[@target][tg:target-file(@target)]"/>
    <xsl:variable name="cited" select="*/text//(ref | ptr)[@target][not(ancestor::note)][tg:target-file(@target)]"/>
    <xsl:variable name="mine" select="tg:file(.)"/>
    <xsl:variable name="inverse" select="if ($catalogue) then key('catalogue-rel', $mine, $catalogue)[not(../@file = $mine)] else ()"/>
    <!-- every other document once, under the first of: its own context, the other's context, a citation -->
    <xsl:variable name="candidates" as="element()*">
      <xsl:for-each select="$own">
        <li data-file="{tg:target-file(@target)}">{tg:relation-label((@type[normalize-space()], 'related')[1])}: <xsl:call-template name="doc-link">
            <xsl:with-param name="file" select="tg:target-file(@target)"/>
            <xsl:with-param name="label" select="normalize-space(.)"/></xsl:call-template></li>
      </xsl:for-each>
      <xsl:for-each select="$inverse[not(@type = 'cites')], $inverse[@type = 'cites']">
        <li data-file="{../@file}">{tg:relation-label(tg:inverse-relation(@type))}: <xsl:call-template name="doc-link">
            <xsl:with-param name="file" select="string(../@file)"/></xsl:call-template></li>
      </xsl:for-each>
      <xsl:for-each select="$cited">
        <li data-file="{tg:target-file(@target)}">{tg:relation-label('cites')}: <xsl:call-template name="doc-link">
            <xsl:with-param name="file" select="tg:target-file(@target)"/></xsl:call-template></li>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="items" select="for $file in distinct-values($candidates/@data-file[. ne $mine]) return $candidates[@data-file = $file][1]"/>
    <xsl:if test="exists($items)">
      <section class="panel related" aria-labelledby="related-heading">
        <h2 id="related-heading">Related documents</h2>
        <ul class="related"><xsl:sequence select="$items"/></ul>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="doc-link">
    <xsl:param name="file" as="xs:string"/>
    <xsl:param name="label" as="xs:string" select="''"/>
    <xsl:variable name="doc" select="if ($catalogue) then key('catalogue-file', $file, $catalogue)[1] else ()"/>
    <xsl:choose>
      <xsl:when test="$doc"><a href="{$doc/@id}.html">{($label[.], $doc/tg:short-title[normalize-space()], $doc/@id)[1]}</a></xsl:when>
      <xsl:otherwise>{($label[.], $file)[1]} <span class="not-in-edition">(not in this edition)</span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:function name="tg:relation-label" as="xs:string">
    <xsl:param name="type" as="xs:string"/>
    <xsl:variable name="known" select="map{'replyTo': 'In reply to', 'answeredBy': 'Answered by', 'cites': 'Cites',
        'citedBy': 'Cited in', 'announces': 'Announces', 'announcedBy': 'Announced in', 'mentions': 'Mentions',
        'mentionedBy': 'Mentioned in', 'next': 'Next', 'prev': 'Previous', 'related': 'Related'}"/>
    <xsl:sequence select="if (map:contains($known, $type)) then $known($type) else tg:kind-label(replace($type, '([a-z])([A-Z])', '$1 $2'), false())"/>
  </xsl:function>

  <xsl:function name="tg:inverse-relation" as="xs:string">
    <xsl:param name="type" as="xs:string"/>
    <xsl:variable name="inverse" select="map{'replyTo': 'answeredBy', 'answeredBy': 'replyTo', 'cites': 'citedBy',
        'citedBy': 'cites', 'announces': 'announcedBy', 'announcedBy': 'announces', 'mentions': 'mentionedBy',
        'mentionedBy': 'mentions', 'next': 'prev', 'prev': 'next'}"/>
    <xsl:sequence select="if (map:contains($inverse, $type)) then $inverse($type) else 'related'"/>
  </xsl:function>

  <xsl:template name="action">
    <dt>{tg:action-label(.)}</dt>
    <dd>
      <xsl:for-each select="persName | orgName | name">
        <xsl:if test="position() gt 1">, </xsl:if>
        <xsl:apply-templates select="." mode="meta-name"/>
      </xsl:for-each>
      <xsl:for-each select="placeName">
        <xsl:text>{if (../(persName | orgName | name)) then ', ' else ''}</xsl:text>
        <xsl:apply-templates select="." mode="meta-name"/>
      </xsl:for-each>
      <xsl:for-each select="date">
        <br/><time class="date">
          <xsl:if test="tg:datetime(.)"><xsl:attribute name="datetime" select="tg:datetime(.)"/></xsl:if>
          {tg:date-label(.)}</time>
      </xsl:for-each>
      <xsl:for-each select="note | p">
        <br/><span class="panel-note"><xsl:apply-templates mode="panel"/></span>
      </xsl:for-each>
    </dd>
  </xsl:template>

  <!-- The telegram's markings, one term per label (two cipher-office entries share one), each value as written
       but without the label the source repeats ("Series: SERIES G" would say it twice). -->
  <xsl:template name="markings">
    <xsl:param name="markings" as="element()*"/>
    <xsl:for-each-group select="$markings" group-by="tg:marking-label(.)">
      <dt>{current-grouping-key()}</dt>
      <xsl:for-each select="current-group()">
        <xsl:variable name="label" select="current-grouping-key()"/>
        <xsl:variable name="reading" select="tg:reading(.)"/>
        <dd>
          <xsl:call-template name="marking-lang"/>
          <xsl:choose>
            <xsl:when test="matches($reading, '^' || $label || '([^\p{L}]|$)', 'i')">{replace($reading, '^' || $label || '\s*:?\s*', '', 'i')}</xsl:when>
            <xsl:otherwise><xsl:apply-templates mode="panel"/></xsl:otherwise>
          </xsl:choose>
        </dd>
      </xsl:for-each>
    </xsl:for-each-group>
  </xsl:template>

  <xsl:template name="marking-lang">
    <xsl:variable name="lang" select="ancestor-or-self::*[@xml:lang][1]/@xml:lang"/>
    <xsl:if test="$lang and not(starts-with($lang, 'en'))"><xsl:attribute name="lang" select="$lang"/></xsl:if>
  </xsl:template>

  <xsl:function name="tg:marking-label" as="xs:string">
    <xsl:param name="marking" as="element()"/>
    <xsl:sequence select="if ($marking/parent::div[@type = 'registry'] and $marking/@type = 'handling')
                          then 'Cipher office' else ($marking-labels($marking/@type), 'Marking')[1]"/>
  </xsl:function>

  <!-- In the panel: the normalized reading, names linked but with no mention ids, notes left out. -->
  <xsl:template match="persName | placeName | orgName | name | rs" mode="panel">
    <xsl:apply-templates select="." mode="meta-name"/>
  </xsl:template>
  <xsl:template match="note | sic | orig | abbr" mode="panel"/>
  <xsl:template match="supplied" mode="panel">[<xsl:apply-templates mode="panel"/>]</xsl:template>
  <xsl:template match="gap" mode="panel">[{normalize-space((desc, translate(@reason, '-', ' '), '…')[1])}]</xsl:template>
  <xsl:template match="lb" mode="panel"><br/></xsl:template>
  <xsl:template match="*" mode="panel"><xsl:apply-templates mode="panel"/></xsl:template>

  <!-- ===== source, citation, downloads ===== -->

  <xsl:template name="source">
    <xsl:variable name="sourceDesc" select="*/teiHeader/fileDesc/sourceDesc"/>
    <xsl:variable name="ms" select="$sourceDesc//msIdentifier"/>
    <xsl:variable name="bibl" select="($sourceDesc/bibl, $sourceDesc/listBibl/bibl, $sourceDesc/biblStruct)[1]"/>
    <xsl:variable name="url" select="tg:source-url(.)"/>
    <section class="panel source" aria-labelledby="source-heading">
      <h2 id="source-heading">Source</h2>
      <dl>
        <xsl:if test="$ms">
          <dt>Archival record</dt>
          <dd>{string-join(($ms/repository ! tg:display-name(.), $ms/settlement, $ms/idno) ! normalize-space(.), ', ')}</dd>
        </xsl:if>
        <xsl:for-each select="$sourceDesc//msContents/textLang">
          <dt>Language of the original</dt>
          <dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:if test="$bibl">
          <dt>Published by</dt>
          <dd>{string-join(($bibl/publisher, $bibl/idno[@type = 'record'] ! ('record ' || .)) ! normalize-space(.), ', ')}
            <xsl:if test="not($bibl/publisher)">{normalize-space($bibl)}</xsl:if></dd>
        </xsl:if>
        <xsl:if test="$url">
          <dt>Record URL</dt>
          <dd><a class="url" href="{$url}">{$url}</a></dd>
        </xsl:if>
        <xsl:for-each select="$bibl/note[@type = 'citation']">
          <dt>Citation</dt>
          <dd><xsl:apply-templates mode="panel"/></dd>
        </xsl:for-each>
        <xsl:if test="not($ms or $bibl)">
          <dt>Source</dt>
          <dd><xsl:apply-templates select="$sourceDesc" mode="panel"/></dd>
        </xsl:if>
      </dl>
    </section>
  </xsl:template>

  <xsl:template name="cite">
    <xsl:variable name="id" select="tg:id(.)"/>
    <xsl:variable name="permalink" select="$base-url || $id || '.html'"/>
    <xsl:variable name="editors" select="normalize-space((*/teiHeader/fileDesc/titleStmt/respStmt[1]/(orgName | persName | name))[1])"/>
    <section class="panel cite" aria-labelledby="cite-heading">
      <h2 id="cite-heading">Cite this {lower-case(tg:kind-label(tg:kind(.), false()))}</h2>
      <p class="citation" id="citation">{($editors[.], 'The editors')[1]}, “{tg:title(.)},” in <cite>{$edition-title}</cite>, document {$id}, <a class="permalink" href="{$permalink}">{$permalink}</a>.</p>
      <ul class="downloads">
        <li><a href="{$permalink}" rel="bookmark">Permalink</a></li>
        <li><a href="tei/{tg:file(.)}" download="{tg:file(.)}" type="application/tei+xml">Download the TEI source</a> <span class="filename">({tg:file(.)})</span></li>
        <li><a href="text/{$id}.txt" type="text/plain">Plain-text edition</a></li>
      </ul>
    </section>
  </xsl:template>

  <!-- ===== previous / next in date order ===== -->

  <xsl:template name="prev-next">
    <!-- The neighbours were worked out once for the whole corpus (site.py); here they are two key look-ups. -->
    <xsl:variable name="position" select="if ($catalogue) then key('catalogue-position', tg:id(.), $catalogue) else ()"/>
    <xsl:if test="exists($position)">
      <nav class="prev-next" aria-label="Previous and next {if (tg:is-correspondence(.)) then 'in the correspondence' else 'text'}" data-pagefind-ignore="all">
        <xsl:for-each select="key('catalogue-doc', $position/@prev, $catalogue)">
          <a class="prev" rel="prev" href="{@id}.html"><span class="dir">← Previous</span> {tg:short-title}</a>
        </xsl:for-each>
        <xsl:for-each select="key('catalogue-doc', $position/@next, $catalogue)">
          <a class="next" rel="next" href="{@id}.html"><span class="dir">Next →</span> {tg:short-title}</a>
        </xsl:for-each>
      </nav>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
