/** The sanitised plan as a data: URL (the console's content policy admits images from itself and data: only). */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from '../../api/client.ts';

export function usePlanUrl(floorId: string, sha256: string): string | null {
  const text = useQuery({
    queryKey: ['admin', 'facility', 'plan', floorId, sha256],
    queryFn: () => api.get<string>(`/api/floors/${floorId}/plan`),
    staleTime: Infinity,
  });
  return useMemo(() => (text.data ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text.data)}` : null), [text.data]);
}

/** Where a click landed, in the plan's own units (its viewBox), rounded to a tenth. */
export function planPointOf(svg: SVGSVGElement, clientX: number, clientY: number): { x: number; y: number } | null {
  const matrix = svg.getScreenCTM();
  if (!matrix) return null;
  const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
  return { x: Math.round(point.x * 10) / 10, y: Math.round(point.y * 10) / 10 };
}
