/**
 * The signed-in agent and the sign-out. Signing out with orders not yet on the platform or drafts
 * not submitted asks first: they stay saved on this seat and continue at this agent's next sign-in
 * here — another agent's session does not send them. Not offered during a call.
 */
import { App, Button, Dropdown, type ButtonProps } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useOrdersStore } from '../orders/orders-store';
import { hasLiveCall, useCallStore } from '../phone/call-store';
import { signOut, useSessionStore } from './session-store';

export function UserMenu() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const user = useSessionStore((s) => s.status?.user);
  // Not in the middle of a call: the softphone would hang up on the caller.
  const onCall = useCallStore(hasLiveCall);
  if (!user) return null;
  const leave = () => {
    const s = useOrdersStore.getState();
    const unsent = s.sync.pending + s.sync.failed;
    const drafts = Object.values(s.drafts).filter((d) => d.state === 'open').length;
    if (unsent === 0 && drafts === 0) return void signOut();
    modal.confirm({
      title: t('signIn.signOutConfirm.title'),
      content: <span data-testid="sign-out-unsent">{t('signIn.signOutConfirm.body', { unsent, drafts })}</span>,
      okText: t('signIn.signOut'),
      cancelText: t('signIn.signOutConfirm.stay'),
      okButtonProps: { danger: true, 'data-testid': 'sign-out-confirm' } as ButtonProps,
      onOk: () => void signOut(),
    });
  };
  return (
    <Dropdown trigger={['click']} menu={{ items: [{ key: 'signOut', icon: <LogoutOutlined />, label: onCall ? t('signIn.signOutOnCall') : t('signIn.signOut'), disabled: onCall, onClick: leave }] }}>
      <Button icon={<UserOutlined />} data-testid="user-menu">
        {user.displayName}（{user.account}）
      </Button>
    </Dropdown>
  );
}
