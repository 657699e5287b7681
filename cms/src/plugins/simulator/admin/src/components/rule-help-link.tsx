import { Box, Typography } from '@strapi/design-system';
import { Link } from 'react-router-dom';

const RULE_UID = 'api::reminder-rule.reminder-rule';

/** In the Content Manager's edit view of a reminder rule: where to find the facts, a preview and the reach estimate. */
export function RuleHelpLink({ slug }: { slug?: string }) {
  if (slug !== RULE_UID) return null;
  return (
    <Box padding={4} background="primary100" hasRadius width="100%" data-testid="rule-help">
      <Typography variant="pi">
        条件可用的事实、模板写法、示例预览与未来 7 天触达估算：{' '}
        <Link to="/plugins/simulator">阶段模拟 → 规则检查 (facts, preview, reach)</Link>
      </Typography>
    </Box>
  );
}
