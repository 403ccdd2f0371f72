/**
 * A list of articles as the panel shows them (search results, suggestions, related articles):
 * plain buttons — the panel is on screen from the start, and antd's List would add its styles to
 * every start for a few lines of text. Titles and snippets are text (matched ranges marked), never markup.
 */
import { Tag, Typography } from 'antd';
import { Marked } from './Marked';
import { showArticle } from './knowledge-store';
import type { ArticleHit } from './search/search-host';

export function HitList({ hits, testId, dataFor, onKeyDown }: { hits: readonly ArticleHit[]; testId: string; dataFor?: string; onKeyDown?: (e: React.KeyboardEvent) => void }) {
  return (
    <ul className="knowledge-hits" data-testid={testId} data-for={dataFor} onKeyDown={onKeyDown}>
      {hits.map((h) => (
        <li key={h.id} data-testid="knowledge-hit" data-article-id={h.id} className="knowledge-hit">
          <button type="button" className="knowledge-hit__open" onClick={() => void showArticle(h.id)}>
            <Typography.Text strong>
              <Marked text={h.title} marks={h.titleMarks} />
            </Typography.Text>
            <Typography.Text type="secondary" className="knowledge-hit__snippet">
              <Marked text={h.snippet} marks={h.snippetMarks} />
            </Typography.Text>
            <span>
              {h.hotlines.map((n) => (
                <Tag key={n}>{n}</Tag>
              ))}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
