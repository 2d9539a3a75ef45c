// Colour on or off for the whole tree (NO_COLOR / FORCE_COLOR / TERM=dumb decided once in env.ts): components
// colour through <Tint>, so turning colour off never loses information — every status also has a word.
import { Text } from 'ink';
import { createContext, type ReactNode, useContext } from 'react';

export const ColorContext = createContext(true);

type InkColor = 'green' | 'red' | 'yellow' | 'cyan' | 'gray' | 'magenta';

export function Tint({ color, bold, children }: { color?: InkColor; bold?: boolean; children: ReactNode }) {
  const enabled = useContext(ColorContext);
  if (!enabled) return <Text bold={bold}>{children}</Text>;
  return (
    <Text color={color} bold={bold}>
      {children}
    </Text>
  );
}

export function Dim({ children }: { children: ReactNode }) {
  const enabled = useContext(ColorContext);
  return <Text dimColor={enabled}>{children}</Text>;
}
