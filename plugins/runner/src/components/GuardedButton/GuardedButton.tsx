import { useId, type MouseEvent, type ReactNode } from 'react';
import Button, { type ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  // Visually hidden but read by screen readers (the usual clip pattern).
  srOnly: {
    position: 'absolute',
    width: 1,
    height: 1,
    padding: 0,
    margin: -1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
  // Disabled look without `disabled`, which would also make it unfocusable.
  unavailable: { cursor: 'not-allowed' },
});

export interface GuardedButtonProps
  extends Omit<ButtonProps, 'disabled' | 'children'> {
  children: ReactNode;
  /** When set, the button does nothing and this says why. */
  disabledReason?: string;
  'aria-label'?: string;
}

/**
 * A button that, when it cannot be used, says why instead of just greying
 * out. It is marked `aria-disabled` rather than `disabled` so that it stays
 * focusable: keyboard users reach it and see the reason as a tooltip, screen
 * readers announce it as dimmed with the reason as its description, and
 * pointer users get the tooltip on hover.
 */
export function GuardedButton(props: GuardedButtonProps) {
  const { disabledReason, children, onClick, className, ...buttonProps } =
    props;
  const classes = useStyles();
  const reasonId = useId();

  if (!disabledReason) {
    return (
      <Button {...buttonProps} className={className} onClick={onClick}>
        {children}
      </Button>
    );
  }

  return (
    <>
      <Tooltip title={disabledReason}>
        <Button
          {...buttonProps}
          aria-disabled="true"
          aria-describedby={reasonId}
          // Mui-disabled gives the theme's disabled colours.
          className={`${className ?? ''} Mui-disabled ${classes.unavailable}`}
          disableRipple
          onClick={(event: MouseEvent<HTMLButtonElement>) =>
            event.preventDefault()
          }
        >
          {children}
        </Button>
      </Tooltip>
      <span id={reasonId} className={classes.srOnly}>
        {disabledReason}
      </span>
    </>
  );
}
